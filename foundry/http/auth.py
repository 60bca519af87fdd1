"""Guards as FastAPI dependencies: ``CurrentUser``, ``OptionalUser``, ``VerifiedUser``.

    @router.get("/me")
    async def me(user: CurrentUser) -> UserResource: ...

A bearer token names the user: a first-party login JWT, an OAuth2 access token issued for a
user (RS256, not revoked; its scopes are kept for ``require_scopes``), or a personal access
token (``fpat_...``); a missing or bad token is a 401 with
``WWW-Authenticate: Bearer``, an unverified email behind ``VerifiedUser`` a 403.
``FirstPartyUser`` accepts only first-party login tokens (account management). The user and
the token's claims are kept on ``request.state`` for the rest of the request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from foundry.auth.jwt import JwtService, TokenClaims
from foundry.auth.jwt.tokens import InvalidTokenError
from foundry.auth.personal_access_tokens import PAT_PREFIX, PersonalAccessTokens
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.kernel.container import current_container
from foundry.kernel.errors import AuthenticationError, AuthorizationError

__all__ = [
    "CurrentUser",
    "FirstPartyUser",
    "OptionalUser",
    "VerifiedUser",
    "bearer_token",
    "current_user",
    "first_party_user",
    "optional_user",
    "token_claims",
    "verified_user",
]

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, if there is one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def _authenticate(request: Request, token: str) -> AuthUser:
    container = current_container()
    if token.startswith(PAT_PREFIX):
        found = await PersonalAccessTokens(
            container.make(AsyncSession), container.make(UserProvider)
        ).authenticate(token)
        if found is None:
            raise InvalidTokenError("unknown personal access token")
        owner, row = found
        request.state.user = owner
        request.state.token_scopes = frozenset(row.scopes.split())
        return owner
    claims = await container.make(JwtService).authenticate(token)
    try:
        user_id = int(claims.subject)
    except ValueError:
        raise InvalidTokenError("unknown subject") from None
    user = await container.make(UserProvider).find(container.make(AsyncSession), user_id)
    if user is None:
        raise InvalidTokenError("unknown subject")
    request.state.user = user
    request.state.token_claims = claims
    request.state.token_scopes = _scopes_of(claims)
    return user


def _scopes_of(claims: TokenClaims) -> frozenset[str] | None:
    """``None`` (every scope) for a first-party login token; an OAuth token's ``scope`` claim."""
    if claims.get("client_id") is None:
        return None
    scope = claims.get("scope")
    return frozenset(scope.split()) if isinstance(scope, str) else frozenset()


async def optional_user(request: Request) -> AuthUser | None:
    """The authenticated user, or None for a guest; a token that is sent must be valid."""
    cached = getattr(request.state, "user", None)
    if isinstance(cached, AuthUser):
        return cached
    token = bearer_token(request)
    return None if token is None else await _authenticate(request, token)


async def current_user(request: Request) -> AuthUser:
    """The authenticated user; 401 with ``WWW-Authenticate: Bearer`` otherwise."""
    user = await optional_user(request)
    if user is None:
        raise AuthenticationError(headers=_CHALLENGE)
    return user


async def verified_user(user: Annotated[AuthUser, Depends(current_user)]) -> AuthUser:
    """The authenticated user, once their email is verified (403 before)."""
    if not user.has_verified_email:
        raise AuthorizationError("Your email address is not verified.", error="email_not_verified")
    return user


def token_claims(request: Request, _: Annotated[AuthUser, Depends(current_user)]) -> TokenClaims:
    """The verified claims of the request's access token (for logout)."""
    claims = getattr(request.state, "token_claims", None)
    if not isinstance(claims, TokenClaims):  # a personal access token has no claims
        raise AuthenticationError("This endpoint needs a login token.", headers=_CHALLENGE)
    return claims


async def first_party_user(
    request: Request, user: Annotated[AuthUser, Depends(current_user)]
) -> AuthUser:
    """The user of a first-party login token (``/api/v1/auth/login``); 403 for OAuth access tokens
    and personal access tokens.

    Account management (email, password, sessions, personal access tokens, OAuth clients) must
    not be reachable with a token a third-party client holds: a client granted ``profile`` could
    otherwise mint a personal access token with every scope, or change the email address.
    """
    claims = getattr(request.state, "token_claims", None)
    if not isinstance(claims, TokenClaims) or claims.get("client_id") is not None:
        raise AuthorizationError(
            "This endpoint needs a first-party login token.", error="first_party_token_required"
        )
    return user


CurrentUser = Annotated[AuthUser, Depends(current_user)]
FirstPartyUser = Annotated[AuthUser, Depends(first_party_user)]
OptionalUser = Annotated[AuthUser | None, Depends(optional_user)]
VerifiedUser = Annotated[AuthUser, Depends(verified_user)]
