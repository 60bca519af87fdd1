"""Registering, listing and revoking OAuth2 clients (used by artisan, the seeder and the API)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.config.oauth2 import OAuth2Settings
from foundry.database import utcnow
from foundry.kernel.errors import ValidationError
from foundry.oauth2.client import hash_secret
from foundry.oauth2.client_cache import ClientCache
from foundry.oauth2.metadata import GRANT_TYPES
from foundry.oauth2.models.oauth_client import OAuthClient
from foundry.oauth2.redirects import is_plain_http_remote, is_valid_redirect_uri

__all__ = ["ALLOWED_GRANTS", "ClientRegistrar", "NewClient", "insecure_redirect_message"]

ALLOWED_GRANTS = frozenset(GRANT_TYPES) | {"password"}


def insecure_redirect_message(uri: str) -> str:
    """The 422 message for a confidential client's plain-http, non-loopback redirect URI."""
    return f"A confidential client's redirect URI must use https (http only on loopback): {uri}"


@dataclass(frozen=True, slots=True)
class NewClient:
    """A client just created; ``secret`` is shown once and never stored in clear."""

    client: OAuthClient
    secret: str | None = field(default=None, repr=False)


class ClientRegistrar:
    """Client rows in the caller's session; methods flush, the caller commits."""

    def __init__(
        self, session: AsyncSession, settings: OAuth2Settings, cache: ClientCache | None = None
    ) -> None:
        self.session = session
        self.settings = settings
        #: This process's client cache, evicted when a client changes.
        self.cache = cache

    def changed(self, client: OAuthClient) -> None:
        """Forget the cached snapshot of ``client`` (call after editing it)."""
        if self.cache is not None:
            self.cache.forget(client.client_id)

    async def create(
        self,
        name: str,
        *,
        redirect_uris: Sequence[str] = (),
        grants: Sequence[str] = ("authorization_code", "refresh_token"),
        scopes: Sequence[str] = (),
        public: bool = False,
        first_party: bool = False,
        user_id: int | None = None,
        client_id: str | None = None,
    ) -> NewClient:
        """Validate and store a client; confidential clients get a fresh secret.

        Raises:
            ValidationError: an invalid name, redirect URI, grant or scope (422).
        """
        self.validate(name, redirect_uris, grants, scopes, public)
        secret = None if public else secrets.token_urlsafe(32)
        client = OAuthClient(
            client_id=client_id or str(uuid.uuid4()),
            name=name.strip(),
            secret_hash=None if secret is None else hash_secret(secret),
            redirect_uris=list(dict.fromkeys(redirect_uris)),
            grant_types=list(dict.fromkeys(grants)),
            scopes=" ".join(dict.fromkeys(scopes)),
            public=public,
            first_party=first_party,
            user_id=user_id,
        )
        self.session.add(client)
        await self.session.flush()
        return NewClient(client, secret)

    def validate(
        self,
        name: str,
        redirect_uris: Sequence[str],
        grants: Sequence[str],
        scopes: Sequence[str],
        public: bool,
    ) -> None:
        """Raise :class:`ValidationError` naming every problem."""
        errors: dict[str, list[str]] = {}
        if not name.strip() or len(name) > 255:
            errors["name"] = ["The name must be 1 to 255 characters."]
        bad_uris = [u for u in redirect_uris if not is_valid_redirect_uri(u)]
        if bad_uris:
            errors["redirect_uris"] = [
                f"Not a valid redirect URI (absolute http(s), no fragment or userinfo): {u}"
                for u in bad_uris
            ]
        elif not public:
            insecure = [u for u in redirect_uris if is_plain_http_remote(u)]
            if insecure:
                errors["redirect_uris"] = [insecure_redirect_message(u) for u in insecure]
        unknown = [g for g in grants if g not in ALLOWED_GRANTS]
        if unknown:
            errors["grants"] = [f"Unknown grant type: {g}" for g in unknown]
        elif public and "client_credentials" in grants:
            errors["grants"] = ["A public client cannot use client_credentials."]
        if "authorization_code" in grants and not redirect_uris and "redirect_uris" not in errors:
            errors["redirect_uris"] = ["The authorization_code grant needs a redirect URI."]
        unknown_scopes = [s for s in scopes if s not in self.settings.scopes]
        if unknown_scopes:
            errors["scopes"] = [f"Unknown scope: {s}" for s in unknown_scopes]
        if errors:
            raise ValidationError(errors)

    async def all(self, *, owner_id: int | None = None) -> list[OAuthClient]:
        """Every client (of ``owner_id`` when given), oldest first."""
        stmt = select(OAuthClient).order_by(OAuthClient.id)
        if owner_id is not None:
            stmt = stmt.where(OAuthClient.user_id == owner_id)
        return list(await self.session.scalars(stmt))

    async def find(self, client_id: str, *, owner_id: int | None = None) -> OAuthClient | None:
        """The client called ``client_id`` (only if ``owner_id`` owns it, when given)."""
        stmt = select(OAuthClient).where(OAuthClient.client_id == client_id)
        if owner_id is not None:
            stmt = stmt.where(OAuthClient.user_id == owner_id)
        return await self.session.scalar(stmt)

    async def by_name(self, name: str) -> OAuthClient | None:
        """The first client called ``name`` (the seeder's idempotency key)."""
        return await self.session.scalar(
            select(OAuthClient).where(OAuthClient.name == name).order_by(OAuthClient.id)
        )

    async def revoke(self, client: OAuthClient) -> None:
        """Refuse the client from now on (its tokens are revoked by the caller's store)."""
        client.revoked_at = utcnow()
        self.changed(client)
        await self.session.flush()

    async def regenerate_secret(self, client: OAuthClient) -> str:
        """A new secret for a confidential client (the old one stops working)."""
        secret = secrets.token_urlsafe(32)
        client.secret_hash = hash_secret(secret)
        self.changed(client)
        await self.session.flush()
        return secret
