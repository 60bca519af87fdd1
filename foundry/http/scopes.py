"""Scope checks for resource routes: ``require_scopes("a", "b")`` and ``require_any_scope(...)``.

    @router.get("/reports", dependencies=[Depends(require_scopes("reports:read"))])
    async def reports(token: Annotated[AccessToken, Depends(require_any_scope("a", "b"))]): ...

They accept every bearer token the app issues:

* a first-party login JWT (no ``client_id`` claim): the user's own session, every scope;
* an OAuth2 access token for a user or a personal access token: the scopes it was granted;
* a ``client_credentials`` token: no user, its client's scopes (machine to machine).

A missing or invalid token is 401; a valid token without the scopes is 403 ``insufficient_scope``
with ``WWW-Authenticate: Bearer error="insufficient_scope", scope="..."`` (RFC 6750 section 3.1).
Tokens are read from the ``Authorization`` header only, never from the query string.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request

from foundry.auth.jwt import InvalidTokenError, JwtService
from foundry.auth.user import AuthUser
from foundry.http.auth import bearer_token, optional_user
from foundry.kernel.container import current_container
from foundry.kernel.errors import AuthenticationError, AuthorizationError

__all__ = ["AccessToken", "access_token", "require_any_scope", "require_scopes"]


@dataclass(frozen=True, slots=True)
class AccessToken:
    """Who a request's bearer token speaks for, and what it may do."""

    user: AuthUser | None
    client_id: str | None
    #: ``None``: a first-party login token, which may do everything its user may.
    scopes: frozenset[str] | None

    def can(self, scope: str) -> bool:
        """Whether the token carries ``scope``."""
        return self.scopes is None or scope in self.scopes


async def access_token(request: Request) -> AccessToken:
    """The request's token (401 without a valid one)."""
    cached = getattr(request.state, "access_token", None)
    if isinstance(cached, AccessToken):
        return cached
    token = bearer_token(request)
    if token is None:
        raise AuthenticationError(headers={"WWW-Authenticate": "Bearer"})
    found = await _client_token(token)
    if found is None:
        user = await optional_user(request)
        assert user is not None  # a sent token is valid or optional_user raised
        claims = getattr(request.state, "token_claims", None)
        client_id = claims.get("client_id") if claims is not None else None
        found = AccessToken(
            user,
            client_id if isinstance(client_id, str) else None,
            getattr(request.state, "token_scopes", None),
        )
    request.state.access_token = found
    return found


async def _client_token(token: str) -> AccessToken | None:
    """A ``client_credentials`` JWT (its ``sub`` is the client), else ``None``."""
    if token.count(".") != 2:
        return None
    jwt = current_container().make(JwtService)
    try:
        claims = jwt.decode(token)
    except InvalidTokenError:
        return None  # optional_user raises the precise 401
    if claims.get("gty") != "client_credentials":
        return None
    claims = await jwt.authenticate(token)  # now with the denylist
    scope = claims.get("scope")
    client_id = claims.get("client_id")
    return AccessToken(
        None,
        client_id if isinstance(client_id, str) else None,
        frozenset(scope.split()) if isinstance(scope, str) else frozenset(),
    )


def _insufficient(scopes: tuple[str, ...]) -> AuthorizationError:
    wanted = " ".join(scopes)
    return AuthorizationError(
        f"The token lacks the required scope: {wanted}.",
        error="insufficient_scope",
        headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{wanted}"'},
    )


def require_scopes(*scopes: str) -> Callable[[Request], Awaitable[AccessToken]]:
    """A dependency passing tokens that carry every one of ``scopes``."""

    async def dependency(request: Request) -> AccessToken:
        token = await access_token(request)
        if not all(token.can(scope) for scope in scopes):
            raise _insufficient(scopes)
        return token

    return dependency


def require_any_scope(*scopes: str) -> Callable[[Request], Awaitable[AccessToken]]:
    """A dependency passing tokens that carry at least one of ``scopes``."""

    async def dependency(request: Request) -> AccessToken:
        token = await access_token(request)
        if not any(token.can(scope) for scope in scopes):
            raise _insufficient(scopes)
        return token

    return dependency
