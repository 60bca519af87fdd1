"""Introspection (RFC 7662) and revocation (RFC 7009) endpoints on the loaded token."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint

from foundry.oauth2.records import AccessRecord, RefreshRecord

if TYPE_CHECKING:
    from foundry.oauth2.server import FoundryAuthorizationServer

__all__ = ["FoundryIntrospectionEndpoint", "FoundryRevocationEndpoint"]

_CONFIDENTIAL = ["client_secret_basic", "client_secret_post"]


def _server(endpoint: Any) -> FoundryAuthorizationServer:
    from foundry.oauth2.server import FoundryAuthorizationServer

    assert isinstance(endpoint.server, FoundryAuthorizationServer)
    return endpoint.server


class FoundryIntrospectionEndpoint(IntrospectionEndpoint):
    """Confidential clients introspect their own tokens; first-party ones (resource servers)
    may introspect any token."""

    CLIENT_AUTH_METHODS = _CONFIDENTIAL

    def query_token(self, token_string: str, token_type_hint: str | None) -> Any:
        """The access or refresh token the service loaded."""
        ctx = _server(self).ctx
        return ctx.access or ctx.refresh

    def check_permission(self, token: Any, client: Any, request: OAuth2Request) -> bool:
        """Own tokens, or any token for a first-party confidential client."""
        return bool(token.check_client(client) or (client.first_party and not client.public))

    def introspect_token(self, token: AccessRecord | RefreshRecord) -> dict[str, Any]:
        """RFC 7662 section 2.2 members."""
        server = _server(self)
        if isinstance(token, AccessRecord):
            return {
                "active": True,
                "token_type": "Bearer",
                "client_id": token.client_id,
                "scope": token.scopes,
                "sub": token.subject,
                "exp": token.expires_at,
                "iat": token.issued_at,
                "jti": token.jti,
                "iss": server.issuer,
                "aud": server.audience,
            }
        client = server.ctx.client
        # The refresh row knows its client only by key: name it when it is the caller's own.
        own = client is not None and client.pk == token.client_pk
        return {
            "active": True,
            "token_type": "refresh_token",
            "client_id": client.client_id if own and client else None,
            "scope": token.scopes,
            "sub": str(token.user_id),
            "exp": int(token.expires_at.timestamp()),
            "iss": server.issuer,
        }


class FoundryRevocationEndpoint(RevocationEndpoint):
    """Revokes an access token (by ``jti``) or a refresh token (with its whole family)."""

    CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> Any:
        """The access or refresh token the service loaded."""
        ctx = _server(self).ctx
        return ctx.access or ctx.refresh

    def revoke_token(self, token: AccessRecord | RefreshRecord, request: OAuth2Request) -> None:
        """Recorded; the service applies it."""
        _server(self).ctx.revoked.append(token)
