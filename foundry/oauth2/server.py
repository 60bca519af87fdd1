"""The authorization server: authlib's ``AuthorizationServer`` answering from a context.

A server built with a context answers from it (the authorization and device pages build one per
request). The token, introspection and revocation endpoints share one
:class:`SharedAuthorizationServer` per application instead: building a server registers five
grants and two endpoints, a cost paid on every token otherwise. It answers from the context of
the call in progress (:meth:`FoundryAuthorizationServer.respond`, a context variable, so
concurrent requests never see each other's context); authlib's calls are synchronous, so a
context is set for exactly one call.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from authlib.oauth2.rfc6749 import AuthorizationServer, OAuth2Request

from foundry.auth.jwt import JwtService
from foundry.config.oauth2 import OFFLINE_ACCESS, OAuth2Settings
from foundry.oauth2.client import OAuth2Client
from foundry.oauth2.context import GrantContext, IssuedGrantToken
from foundry.oauth2.endpoints import FoundryIntrospectionEndpoint, FoundryRevocationEndpoint
from foundry.oauth2.grants import (
    FoundryAuthorizationCodeGrant,
    FoundryClientCredentialsGrant,
    FoundryDeviceCodeGrant,
    FoundryPasswordGrant,
    FoundryRefreshTokenGrant,
    S256CodeChallenge,
)
from foundry.oauth2.request import FoundryOAuth2Request

__all__ = [
    "FoundryAuthorizationServer",
    "OAuth2Response",
    "SharedAuthorizationServer",
    "client_session_id",
]

#: The context a shared server answers from during one synchronous authlib call.
_answering: ContextVar[GrantContext | None] = ContextVar("foundry_oauth2_answering", default=None)

#: Grants whose tokens say how their user signed in (``GrantContext.login_claims``).
_USER_GRANTS = (
    "authorization_code",
    "refresh_token",
    "password",
    "urn:ietf:params:oauth:grant-type:device_code",
)


def client_session_id(client_id: str) -> str:
    """The ``sid`` claim of every token issued to ``client_id``."""
    return f"oauth-client:{client_id}"


@dataclass(frozen=True, slots=True)
class OAuth2Response:
    """What authlib answered: status, JSON body (or ``""`` for redirects) and headers."""

    status: int
    body: Any
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive)."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


class FoundryAuthorizationServer(AuthorizationServer):
    """Every grant and endpoint of the issue, answering from ``ctx``.

    Without a ``ctx`` the server answers only inside :meth:`respond`.
    """

    def __init__(self, ctx: GrantContext | None, jwt: JwtService, settings: OAuth2Settings) -> None:
        super().__init__(scopes_supported=list(settings.scopes))
        self._ctx = ctx
        self.jwt = jwt
        self.settings = settings
        self.max_scopes = settings.max_scopes
        self.issuer = settings.issuer or jwt.settings.issuer
        self.audience = jwt.settings.audience
        self.register_grant(FoundryAuthorizationCodeGrant, [S256CodeChallenge(required=True)])
        self.register_grant(FoundryClientCredentialsGrant)
        self.register_grant(FoundryRefreshTokenGrant)
        self.register_grant(FoundryPasswordGrant)
        self.register_grant(FoundryDeviceCodeGrant)
        self.register_endpoint(FoundryIntrospectionEndpoint)
        self.register_endpoint(FoundryRevocationEndpoint)

    @property
    def ctx(self) -> GrantContext:
        """The context this server answers from now."""
        ctx = self._ctx if self._ctx is not None else _answering.get()
        if ctx is None:
            raise RuntimeError("a shared authorization server answers only inside respond()")
        return ctx

    def respond(self, ctx: GrantContext, answer: Callable[[], OAuth2Response]) -> OAuth2Response:
        """Run ``answer`` (one synchronous authlib call on this server) answering from ``ctx``."""
        token = _answering.set(ctx)
        try:
            return answer()
        finally:
            _answering.reset(token)

    # -- authlib's framework hooks -----------------------------------------------------------

    def query_client(self, client_id: str) -> OAuth2Client | None:
        """The client the service loaded, if the request names that one."""
        client = self.ctx.client
        return client if client is not None and client.client_id == client_id else None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """Confirm the generated token; the service persists it."""
        self.ctx.confirm(token["access_token"])

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """Events are dispatched by the service after the commit instead."""

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        """Requests arrive already adapted (the body was read asynchronously)."""
        assert isinstance(request, FoundryOAuth2Request)
        return request

    def create_json_request(self, request: Any) -> Any:
        """Not used: every endpoint here takes form parameters."""
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> OAuth2Response:
        """Keep authlib's answer as data; the HTTP layer renders it."""
        return OAuth2Response(status, body, [(str(k), str(v)) for k, v in headers])

    # -- tokens ------------------------------------------------------------------------------

    def generate_token(
        self,
        grant_type: str,
        client: OAuth2Client,
        user: Any = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        """An RFC 9068 JWT access token, and an opaque refresh token when a user is involved and
        the granted scope holds ``offline_access`` (first-party clients: see
        ``OAUTH2_FIRST_PARTY_REFRESH``)."""
        scope = scope or ""
        user_id: int | None = getattr(user, "id", None) if user is not None else None
        # RFC 9068 section 2.2: without a resource owner, ``sub`` identifies the client.
        subject = str(user_id) if user_id is not None else client.client_id
        # ``sid`` ties every token to its client: revoking the client denies them all at once
        # (the guard already refuses tokens whose ``sid`` is on the denylist).
        claims: dict[str, object] = {
            "client_id": client.client_id,
            "scope": scope,
            "sid": client_session_id(client.client_id),
        }
        if user_id is None:
            claims["gty"] = "client_credentials"
        elif self.ctx.login_claims and grant_type in _USER_GRANTS:
            # How the user signed in to approve this grant (MFA step-up checks ``mfa_at``).
            claims.update(self.ctx.login_claims)
        # The JWT service caps lifetimes at JWT_ACCESS_TTL (key rotation relies on it).
        ttl = min(self.settings.access_ttl, self.jwt.settings.access_ttl)
        issued = self.jwt.issue(subject, claims=claims, ttl=ttl)
        token: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": issued.token,
            "expires_in": issued.expires_in,
            "scope": scope,
        }
        refresh: str | None = None
        if include_refresh_token and user_id is not None and self._offline(client, scope):
            refresh = secrets.token_urlsafe(48)
            token["refresh_token"] = refresh
        self.ctx.pending[issued.token] = IssuedGrantToken(
            grant_type=grant_type,
            jti=issued.jti,
            expires_at=issued.expires_at,
            scope=scope,
            user_id=user_id,
            family_id=self._family(grant_type, user_id),
            refresh_token=refresh,
        )
        return token

    def _offline(self, client: OAuth2Client, scope: str) -> bool:
        # A refresh token outlives the session that granted it: only when asked for (OpenID
        # Connect's offline_access), or for the app's own clients if the operator allows it.
        if OFFLINE_ACCESS in scope.split():
            return True
        return client.first_party and self.settings.first_party_refresh

    def _family(self, grant_type: str, user_id: int | None) -> str | None:
        if self.ctx.code is not None and grant_type == "authorization_code":
            return self.ctx.code.family_id
        if self.ctx.refresh is not None and grant_type == "refresh_token":
            return self.ctx.refresh.family_id
        return secrets.token_hex(16) if user_id is not None else None


class SharedAuthorizationServer(FoundryAuthorizationServer):
    """The application's one server for the token, introspection and revocation endpoints
    (bound as a singleton by ``OAuth2ServiceProvider``); it answers only inside
    :meth:`respond`."""

    def __init__(self, jwt: JwtService, settings: OAuth2Settings) -> None:
        super().__init__(None, jwt, settings)
