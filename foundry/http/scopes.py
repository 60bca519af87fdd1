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
from typing import Annotated

from fastapi import Depends

from foundry.auth.guard import Authentication
from foundry.http.auth import Authenticated
from foundry.http.guards import AUTHENTICATES, REQUIRES, STATES_TOKENS, mark
from foundry.kernel.errors import AuthenticationError, AuthorizationError

__all__ = ["AccessToken", "access_token", "require_any_scope", "require_scopes"]

#: Who a request's bearer token speaks for (``user``, ``client_id``) and what it may do
#: (``scopes``, ``can``): the guard's :class:`~foundry.auth.guard.Authentication`.
AccessToken = Authentication


async def access_token(auth: Authenticated) -> AccessToken:
    """The request's token (401 without a valid one)."""
    if auth is None:
        raise AuthenticationError(headers={"WWW-Authenticate": "Bearer"})
    return auth


mark(access_token, AUTHENTICATES, "token")

Token = Annotated[AccessToken, Depends(access_token)]


def _insufficient(scopes: tuple[str, ...]) -> AuthorizationError:
    wanted = " ".join(scopes)
    return AuthorizationError(
        f"The token lacks the required scope: {wanted}.",
        error="insufficient_scope",
        headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{wanted}"'},
    )


def require_scopes(*scopes: str) -> Callable[[AccessToken], Awaitable[AccessToken]]:
    """A dependency passing tokens that carry every one of ``scopes``."""

    async def dependency(token: Token) -> AccessToken:
        if not all(token.can(scope) for scope in scopes):
            raise _insufficient(scopes)
        return token

    mark(dependency, STATES_TOKENS)
    mark(dependency, REQUIRES, "scope:" + ",".join(scopes))
    return dependency


def require_any_scope(*scopes: str) -> Callable[[AccessToken], Awaitable[AccessToken]]:
    """A dependency passing tokens that carry at least one of ``scopes``."""

    async def dependency(token: Token) -> AccessToken:
        if not any(token.can(scope) for scope in scopes):
            raise _insufficient(scopes)
        return token

    mark(dependency, STATES_TOKENS)
    mark(dependency, REQUIRES, "scope:" + "|".join(scopes))
    return dependency
