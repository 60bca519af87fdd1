"""``ClientService``: what the OAuth2 client management API does, each action one unit of work.

``owner_id`` limits every look-up to one user's clients (``None``: an operator sees them all).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.config.oauth2 import OAuth2Settings
from foundry.database.lazy_session import LazySession
from foundry.events import EventDispatcher
from foundry.kernel.errors import NotFoundError, ValidationError
from foundry.oauth2.client_cache import ClientCache
from foundry.oauth2.clients import ClientRegistrar, NewClient, insecure_redirect_message
from foundry.oauth2.events import (
    ClientCreated,
    ClientRevoked,
    ClientSecretRegenerated,
    ClientUpdated,
)
from foundry.oauth2.models.oauth_client import OAuthClient
from foundry.oauth2.redirects import is_plain_http_remote, is_valid_redirect_uri
from foundry.oauth2.server import client_session_id
from foundry.oauth2.store import OAuth2Store

__all__ = ["ClientService"]


class ClientService:
    """Registers, lists, updates, re-keys and revokes OAuth2 clients, and commits."""

    def __init__(
        self,
        session: AsyncSession,
        settings: OAuth2Settings,
        cache: ClientCache,
        jwt: JwtService,
        events: EventDispatcher,
    ) -> None:
        self.session = session
        self.settings = settings
        self.jwt = jwt
        self.events = events
        self.registrar = ClientRegistrar(session, settings, cache)

    async def all(self, owner_id: int | None) -> list[OAuthClient]:
        """The clients ``owner_id`` may manage."""
        return await self.registrar.all(owner_id=owner_id)

    async def find(self, client_id: str, owner_id: int | None) -> OAuthClient:
        """The client, or 404 when it does not exist or is not ``owner_id``'s."""
        client = await self.registrar.find(client_id, owner_id=owner_id)
        if client is None:
            raise NotFoundError()
        return client

    async def create(
        self,
        name: str,
        *,
        redirect_uris: Sequence[str],
        grants: Sequence[str],
        scopes: Sequence[str],
        public: bool,
        user_id: int,
    ) -> NewClient:
        """Register a client owned by ``user_id``; its secret is in the result only.

        The password grant is an operator's decision (``artisan oauth:client``), never a user's.
        """
        if "password" in grants:
            raise ValidationError(
                {"grants": ["The password grant is granted by an operator only."]}
            )
        created = await self.registrar.create(
            name,
            redirect_uris=redirect_uris,
            grants=grants,
            scopes=scopes,
            public=public,
            user_id=user_id,
        )
        await self.events.dispatch(ClientCreated(created.client.client_id, created.client.name))
        await self.session.commit()
        return created

    async def update(
        self,
        client_id: str,
        owner_id: int | None,
        *,
        name: str | None,
        redirect_uris: Sequence[str] | None,
    ) -> OAuthClient:
        """Rename a client or replace its redirect URIs."""
        client = await self.find(client_id, owner_id)
        if redirect_uris is not None:
            bad = [u for u in redirect_uris if not is_valid_redirect_uri(u)]
            if bad:
                raise ValidationError(
                    {"redirect_uris": [f"Not a valid redirect URI: {u}" for u in bad]}
                )
            insecure = (
                [] if client.public else [u for u in redirect_uris if is_plain_http_remote(u)]
            )
            if insecure:
                raise ValidationError(
                    {"redirect_uris": [insecure_redirect_message(u) for u in insecure]}
                )
            client.redirect_uris = list(dict.fromkeys(redirect_uris))
        if name is not None:
            client.name = name.strip()
        self.registrar.changed(client)
        await self.events.dispatch(ClientUpdated(client.client_id))
        await self.session.commit()
        return client

    async def regenerate_secret(
        self, client_id: str, owner_id: int | None
    ) -> tuple[OAuthClient, str]:
        """A new secret for a confidential client (the old one stops working)."""
        client = await self.find(client_id, owner_id)
        if client.public:
            raise ValidationError({"client": ["A public client has no secret."]})
        secret = await self.registrar.regenerate_secret(client)
        await self.events.dispatch(ClientSecretRegenerated(client.client_id))
        await self.session.commit()
        return client, secret

    async def revoke(self, client_id: str, owner_id: int | None) -> None:
        """Revoke the client and every token it holds."""
        client = await self.find(client_id, owner_id)
        await self.registrar.revoke(client)
        store = OAuth2Store(LazySession.opened(self.session), self.jwt, self.settings)
        await store.revoke_client_tokens(client.id)
        # Stateless client_credentials tokens have no record: deny them all through their sid.
        await self.jwt.revoke_sessions([client_session_id(client.client_id)], self.session)
        await self.events.dispatch(ClientRevoked(client.client_id))
        await self.session.commit()
