"""``OAuth2ClientSeeder``: a confidential demo client and a public first-party SPA client.

Idempotent: a client whose ``client_id`` exists is left alone (its secret cannot be shown again;
make a new one with ``POST /api/v1/oauth/clients/{id}/secret`` or ``artisan oauth:client``).
``artisan db:seed-oauth2`` (``make db-seed-oauth2``) runs it and prints the ids and the secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from foundry.config.oauth2 import OAuth2Settings
from foundry.database.seeding import Seeder
from foundry.kernel.container import current_container
from foundry.oauth2.clients import ClientRegistrar, NewClient

__all__ = ["DEMO_CLIENT_ID", "SPA_CLIENT_ID", "OAuth2ClientSeeder"]

DEMO_CLIENT_ID: Final = "foundry-demo"
SPA_CLIENT_ID: Final = "foundry-spa"


class OAuth2ClientSeeder(Seeder):
    """Creates whichever demo client is missing; ``created`` lists what this run made."""

    created: list[NewClient]
    existing: list[str]

    async def run(self) -> None:
        self.created, self.existing = [], []
        settings = current_container().make(OAuth2Settings)
        registrar = ClientRegistrar(self.session, settings)
        scopes = [s for s in ("profile", "users:read", "offline_access") if s in settings.scopes]
        wanted = [
            _Spec(
                DEMO_CLIENT_ID,
                "Demo client",
                ("http://127.0.0.1:8080/callback",),
                ("authorization_code", "refresh_token", "client_credentials"),
                public=False,
            ),
            _Spec(
                SPA_CLIENT_ID,
                "Foundry SPA",
                ("http://localhost:5173/callback",),
                ("authorization_code", "refresh_token"),
                public=True,
            ),
        ]
        for spec in wanted:
            if await registrar.find(spec.client_id) is not None:
                self.existing.append(spec.client_id)
                continue
            self.created.append(
                await registrar.create(
                    spec.name,
                    client_id=spec.client_id,
                    redirect_uris=spec.redirect_uris,
                    grants=spec.grants,
                    scopes=scopes,
                    public=spec.public,
                    # The SPA is the app's own front end: it skips the consent screen.
                    first_party=spec.public,
                )
            )


@dataclass(frozen=True, slots=True)
class _Spec:
    client_id: str
    name: str
    redirect_uris: tuple[str, ...]
    grants: tuple[str, ...]
    public: bool
