"""RFC 8414 authorization server metadata: every endpoint, grant, scope and auth method."""

from __future__ import annotations

from typing import Any

from foundry.config.oauth2 import OAuth2Settings

__all__ = ["GRANT_TYPES", "server_metadata"]

GRANT_TYPES = (
    "authorization_code",
    "client_credentials",
    "refresh_token",
    "urn:ietf:params:oauth:grant-type:device_code",
)


def server_metadata(settings: OAuth2Settings, jwt_issuer: str) -> dict[str, Any]:
    """The metadata document; URLs are built on the issuer."""
    issuer = (settings.issuer or jwt_issuer).rstrip("/")
    grants = list(GRANT_TYPES) + (["password"] if settings.password_grant else [])
    auth_methods = ["client_secret_basic", "client_secret_post", "none"]
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/oauth/authorize",
        "token_endpoint": f"{issuer}/oauth/token",
        "introspection_endpoint": f"{issuer}/oauth/introspect",
        "revocation_endpoint": f"{issuer}/oauth/revoke",
        "device_authorization_endpoint": f"{issuer}/oauth/device/code",
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "scopes_supported": sorted(settings.scopes),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": grants,
        "token_endpoint_auth_methods_supported": auth_methods,
        "introspection_endpoint_auth_methods_supported": auth_methods[:2],
        "revocation_endpoint_auth_methods_supported": auth_methods,
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": False,
    }
