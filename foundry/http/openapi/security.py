"""Security schemes (``bearerAuth``, ``oauth2``) and the requirement each operation really has.

``bearerAuth`` is any bearer token the app issues (a first-party login JWT, an OAuth2 access
token, a personal access token); ``oauth2`` describes the OAuth2 server's flows with its real
URLs and scopes, so Swagger UI's *Authorize* button can run them.
"""

from __future__ import annotations

from typing import Any

from foundry.config.oauth2 import OAuth2Settings
from foundry.http.guards import RouteRequirements

__all__ = ["BEARER", "OAUTH2", "operation_security", "security_schemes"]

BEARER = "bearerAuth"
OAUTH2 = "oauth2"

_DEVICE_FLOW = (
    " The device flow (RFC 8628) is served too: `POST /oauth/device/code` returns a user code to"
    " type at `/oauth/device`, then the device polls `/oauth/token` with"
    " `grant_type=urn:ietf:params:oauth:grant-type:device_code`."
)


def security_schemes(settings: OAuth2Settings) -> dict[str, Any]:
    """``components.securitySchemes``: the bearer JWT and the OAuth2 server's flows."""
    scopes = dict(settings.scopes)
    flows: dict[str, Any] = {
        "authorizationCode": {
            "authorizationUrl": "/oauth/authorize",
            "tokenUrl": "/oauth/token",
            "refreshUrl": "/oauth/token",
            "scopes": scopes,
        },
        "clientCredentials": {"tokenUrl": "/oauth/token", "scopes": scopes},
    }
    if settings.password_grant:
        flows["password"] = {
            "tokenUrl": "/oauth/token",
            "refreshUrl": "/oauth/token",
            "scopes": scopes,
        }
    pkce = "required for every client" if settings.require_pkce else "required for public clients"
    return {
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": (
                "A login token from `POST /api/v1/auth/login` (every scope; the user's roles and "
                "permissions decide), an OAuth2 access token, or a personal access token "
                "(`fpat_...`)."
            ),
        },
        OAUTH2: {
            "type": "oauth2",
            "description": f"Authorization code with PKCE (S256, {pkce})." + _DEVICE_FLOW,
            "flows": flows,
        },
    }


def _scope_alternatives(requires: tuple[str, ...]) -> list[list[str]]:
    """Each list of scopes that satisfies every ``scope:`` requirement (``|`` means any)."""
    alternatives: list[list[str]] = [[]]
    for need in requires:
        if not need.startswith("scope:"):
            continue
        wanted = need[len("scope:") :]
        if "|" in wanted:
            options = [[scope] for scope in wanted.split("|")]
        else:
            options = [wanted.split(",")]
        alternatives = [have + option for have in alternatives for option in options]
    return alternatives


def operation_security(requirements: RouteRequirements) -> list[dict[str, list[str]]] | None:
    """The operation's ``security``, or ``None`` for a public route (no token read).

    A first-party-only route takes login tokens alone (``bearerAuth``); others also take
    OAuth2 tokens carrying the scopes their checks ask for. An optional guard adds ``{}``.
    """
    auth = requirements.auth
    if not auth:
        return None
    security: list[dict[str, list[str]]] = [{BEARER: []}]
    if auth != "first-party":
        security.extend({OAUTH2: scopes} for scopes in _scope_alternatives(requirements.requires))
    if auth == "optional":
        security.insert(0, {})
    return security
