"""``oauth:client``, ``oauth:clients`` and ``oauth:purge``.

::

    artisan oauth:client --name "CLI" --public --redirect http://127.0.0.1/callback
    artisan oauth:client --name "Billing" --grant client_credentials --scopes "users:read" --json
    artisan oauth:clients
    artisan oauth:purge --revoked --expired

Secrets are printed once, at creation, and stored only as hashes.
"""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import confirm_in_production, load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["oauth_client", "oauth_clients", "oauth_purge"]


def oauth_client(
    name: Annotated[str, typer.Option("--name", help="The client's name")] = "",
    public: Annotated[
        bool, typer.Option("--public", help="A public client (SPA, mobile, CLI): no secret")
    ] = False,
    redirect: Annotated[
        list[str] | None, typer.Option("--redirect", help="A redirect URI (repeatable)")
    ] = None,
    grant: Annotated[
        list[str] | None,
        typer.Option(
            "--grant",
            help="A grant type (repeatable); default: authorization_code and refresh_token",
        ),
    ] = None,
    scopes: Annotated[
        str, typer.Option("--scopes", help="Space- or comma-separated allowed scopes")
    ] = "",
    first_party: Annotated[
        bool, typer.Option("--first-party", help="Your own app: skips the consent screen")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print client_id and client_secret as JSON")
    ] = False,
) -> None:
    """Create an OAuth2 client; prints its id and (once) its secret."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from foundry.config.oauth2 import OAuth2Settings
    from foundry.events import EventDispatcher
    from foundry.kernel.errors import ValidationError
    from foundry.oauth2.clients import ClientRegistrar
    from foundry.oauth2.events import ClientCreated

    if not name.strip():
        raise CommandError('Give the client a name: --name "My app".')
    grants = grant or ["authorization_code", "refresh_token"]
    scope_list = [s for s in scopes.replace(",", " ").split() if s]

    async def work(application: Application, scope: Container) -> tuple[str, str | None]:
        session = scope.make(AsyncSession)
        registrar = ClientRegistrar(session, scope.make(OAuth2Settings))
        try:
            created = await registrar.create(
                name,
                redirect_uris=redirect or [],
                grants=grants,
                scopes=scope_list,
                public=public,
                first_party=first_party,
            )
        except ValidationError as exc:
            problems = "; ".join(m for messages in exc.errors.values() for m in messages)
            raise CommandError(problems) from None
        await scope.make(EventDispatcher).dispatch(
            ClientCreated(created.client.client_id, created.client.name)
        )
        await session.commit()
        return created.client.client_id, created.secret

    client_id, secret = run_in_application(work, load_config())
    output = Output()
    if as_json:
        output.json({"client_id": client_id, "client_secret": secret})
        return
    output.info(f"Client [{name}] created.")
    output.two_column("Client ID", client_id)
    if secret is not None:
        output.two_column("Client secret", secret)
        output.warn("Store the secret now: it is not shown again.")


def oauth_clients() -> None:
    """List the OAuth2 clients."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from foundry.config.oauth2 import OAuth2Settings
    from foundry.oauth2.clients import ClientRegistrar

    async def work(application: Application, scope: Container) -> list[list[str]]:
        registrar = ClientRegistrar(scope.make(AsyncSession), scope.make(OAuth2Settings))
        return [
            [
                c.client_id,
                c.name,
                "public" if c.public else "confidential",
                ", ".join(c.grant_types),
                " ".join(c.scope_list),
                "revoked" if c.revoked else ("first-party" if c.first_party else ""),
            ]
            for c in await registrar.all()
        ]

    rows = run_in_application(work, load_config())
    Output().table(["Client ID", "Name", "Type", "Grants", "Scopes", "Status"], rows)


def oauth_purge(
    revoked: Annotated[bool, typer.Option("--revoked", help="Only revoked tokens")] = False,
    expired: Annotated[bool, typer.Option("--expired", help="Only expired tokens")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Run in production without asking")
    ] = False,
) -> None:
    """Delete revoked and expired tokens and codes (both unless one flag is given)."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from foundry.oauth2.purge import purge_tokens

    config = load_config()
    confirm_in_production(config, force=force)
    both = not revoked and not expired

    async def work(application: Application, scope: Container) -> dict[str, int]:
        session = scope.make(AsyncSession)
        counts = await purge_tokens(session, revoked=revoked or both, expired=expired or both)
        await session.commit()
        return counts

    counts = run_in_application(work, config)
    output = Output()
    for table, count in counts.items():
        output.task(table, f"{count} deleted")
