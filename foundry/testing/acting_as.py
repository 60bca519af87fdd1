"""Bearer tokens for tests: act as a user or an OAuth2 client without logging in.

Laravel's ``actingAs`` (Sanctum's and Passport's ``actingAs``/``actingAsClient``): the token is
signed with the application's own JWT keys and shaped exactly as the real endpoints shape theirs,
so guards, scope checks and the Gate treat it as they would a real one.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from foundry.auth.authenticatable import Authenticatable
from foundry.auth.jwt import JwtService
from foundry.kernel.application import Application
from foundry.oauth2.models import OAuthClient
from foundry.oauth2.server import client_session_id

__all__ = ["TESTING_CLIENT_ID", "client_token", "user_token"]

#: The ``client_id`` of user tokens made with scopes when the test names no client.
TESTING_CLIENT_ID = "foundry-testing"


def user_token(
    application: Application,
    user: Authenticatable,
    scopes: Iterable[str] | None = None,
    *,
    client: OAuthClient | str | None = None,
) -> str:
    """A token speaking for ``user``.

    Without ``scopes`` it is a first-party login token (what ``POST /api/v1/auth/login``
    returns): every scope, and whatever the user's roles and permissions allow. With ``scopes``
    it is an OAuth2 access token issued to ``client`` (default :data:`TESTING_CLIENT_ID`) for
    the user, carrying only those scopes.
    """
    jwt = application.container.make(JwtService)
    if scopes is None and client is None:
        # A login session of its own, as a real login has, so logout works on it too.
        return jwt.issue(str(user.id), claims={"sid": secrets.token_hex(16)}).token
    client_id = _client_id(client) if client is not None else TESTING_CLIENT_ID
    claims = {"client_id": client_id, "scope": " ".join(_checked(client, scopes or ()))}
    return jwt.issue(str(user.id), claims=claims).token


def client_token(
    application: Application, client: OAuthClient | str, scopes: Iterable[str] | None = None
) -> str:
    """A ``client_credentials`` token: ``client`` acting for itself, with no user.

    ``scopes`` defaults to every scope the client is allowed (none for a bare ``client_id``).

    Raises:
        ValueError: a scope the client is not allowed to ask for (the token endpoint would
            refuse it too).
    """
    if scopes is None:
        scopes = client.scope_list if isinstance(client, OAuthClient) else ()
    client_id = _client_id(client)
    claims = {
        "client_id": client_id,
        "scope": " ".join(_checked(client, scopes)),
        "sid": client_session_id(client_id),
        "gty": "client_credentials",
    }
    return application.container.make(JwtService).issue(client_id, claims=claims).token


def _client_id(client: OAuthClient | str) -> str:
    return client.client_id if isinstance(client, OAuthClient) else client


def _checked(client: OAuthClient | str | None, scopes: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(scopes))
    if isinstance(client, OAuthClient):
        refused = [scope for scope in wanted if scope not in client.scope_list]
        if refused:
            raise ValueError(
                f"client {client.client_id!r} may not ask for {', '.join(refused)} "
                f"(it is allowed: {client.scopes or 'no scope'})"
            )
    return wanted
