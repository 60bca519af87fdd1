"""Guards as FastAPI dependencies: ``CurrentUser``, ``OptionalUser``, ``VerifiedUser``.

    @router.get("/me")
    async def me(user: CurrentUser) -> UserResource: ...

A bearer token names the user: a first-party login JWT, an OAuth2 access token issued for a
user (RS256, not revoked; its scopes are kept for ``require_scopes``), or a personal access
token (``fpat_...``); a missing or bad token is a 401 with
``WWW-Authenticate: Bearer``, an unverified email behind ``VerifiedUser`` a 403.
``FirstPartyUser`` accepts only first-party login tokens (account management). The user and
the token are one :class:`~foundry.auth.guard.Authentication` (``Authenticated``), solved once a request.

The restricted token of a user who must enrol a second factor (``mfa_enrolment_only``) is
refused everywhere with 403 ``mfa_enrolment_required``, except on routes whose dependencies
include one marked :data:`ADMITS_ENROLMENT` (``foundry.http.mfa.EnrolmentUser``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from fastapi.dependencies.models import Dependant
from starlette.requests import Request

from foundry.activity.causer import set_causer
from foundry.auth.guard import Authentication, TokenGuard
from foundry.auth.jwt import TokenClaims
from foundry.auth.jwt.tokens import InvalidTokenError
from foundry.auth.login_claims import ENROLMENT_ONLY_CLAIM
from foundry.auth.user import AuthUser
from foundry.database.lazy_session import LazySession
from foundry.http.dependencies import container_for
from foundry.http.guards import AUTHENTICATES, STATES_TOKENS, mark
from foundry.kernel.errors import AuthenticationError, AuthorizationError

__all__ = [
    "ADMITS_ENROLMENT",
    "Authenticated",
    "CurrentUser",
    "FirstPartyUser",
    "OptionalUser",
    "VerifiedUser",
    "authentication",
    "bearer_token",
    "current_user",
    "first_party_user",
    "optional_user",
    "request_user",
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


_MEMO = "foundry_authentication"

#: Set on a guard dependency that accepts the enrolment-only token (``EnrolmentUser``).
ADMITS_ENROLMENT = "__foundry_admits_mfa_enrolment__"


def _calls(dependant: Dependant) -> list[Any]:
    found: list[Any] = []
    for sub in dependant.dependencies:
        found.append(sub.call)
        found.extend(_calls(sub))
    return found


def _route_admits_enrolment(request: Request) -> bool:
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if not isinstance(dependant, Dependant):
        return False
    # Walked each time: only enrolment-only tokens (rare, short-lived) get here.
    return any(getattr(call, ADMITS_ENROLMENT, False) for call in _calls(dependant))


def _check_enrolment_only(request: Request, found: Authentication | None) -> None:
    if found is None or found.claims is None or found.claims.get(ENROLMENT_ONLY_CLAIM) is not True:
        return
    if not _route_admits_enrolment(request):
        raise AuthorizationError(
            "Your account must enrol a second factor before it can do anything else.",
            error="mfa_enrolment_required",
        )


async def authentication(request: Request) -> Authentication | None:
    """The request's bearer token, verified (``None`` without one; 401 for a bad one).

    Verified once a request: the guards below and :func:`request_user` share the answer.
    """
    state = request.scope.setdefault("state", {})
    if _MEMO in state:
        found: Authentication | None = state[_MEMO]
    else:
        token = bearer_token(request)
        found = None
        if token is not None:
            container = container_for(request)
            guard = container.make(TokenGuard)
            found = await guard.authenticate(token, container.make(LazySession))
        state[_MEMO] = found
        # The activity log's causer for the rest of the request (and the jobs it dispatches).
        set_causer(None if found is None else found.user)
    _check_enrolment_only(request, found)
    return found


async def request_user(request: Request) -> AuthUser | None:
    """The request's user, for code that holds the request but is no dependency (a form
    request's ``authorize``): ``await request_user(request)``."""
    auth = await authentication(request)
    return None if auth is None else auth.user


Authenticated = Annotated[Authentication | None, Depends(authentication)]


async def optional_user(auth: Authenticated) -> AuthUser | None:
    """The authenticated user, or None for a guest; a token that is sent must be valid."""
    if auth is None:
        return None
    if auth.user is None:  # a client_credentials token speaks for no user
        raise InvalidTokenError("unknown subject")
    return auth.user


async def current_user(auth: Authenticated) -> AuthUser:
    """The authenticated user; 401 with ``WWW-Authenticate: Bearer`` otherwise."""
    user = await optional_user(auth)
    if user is None:
        raise AuthenticationError(headers=_CHALLENGE)
    return user


async def verified_user(user: Annotated[AuthUser, Depends(current_user)]) -> AuthUser:
    """The authenticated user, once their email is verified (403 before)."""
    if not user.has_verified_email:
        raise AuthorizationError("Your email address is not verified.", error="email_not_verified")
    return user


def token_claims(auth: Authenticated, _: Annotated[AuthUser, Depends(current_user)]) -> TokenClaims:
    """The verified claims of the request's access token (for logout)."""
    if auth is None or auth.claims is None:  # a personal access token has no claims
        raise AuthenticationError("This endpoint needs a login token.", headers=_CHALLENGE)
    return auth.claims


async def first_party_user(
    auth: Authenticated, user: Annotated[AuthUser, Depends(current_user)]
) -> AuthUser:
    """The user of a first-party login token (``/api/v1/auth/login``); 403 for OAuth access tokens
    and personal access tokens.

    Account management (email, password, sessions, personal access tokens, OAuth clients) must
    not be reachable with a token a third-party client holds: a client granted ``profile`` could
    otherwise mint a personal access token with every scope, or change the email address.
    """
    if auth is None or not auth.first_party:
        raise AuthorizationError(
            "This endpoint needs a first-party login token.", error="first_party_token_required"
        )
    return user


mark(first_party_user, STATES_TOKENS)
mark(first_party_user, AUTHENTICATES, "first-party")
mark(current_user, AUTHENTICATES, "user")
mark(optional_user, AUTHENTICATES, "optional")

CurrentUser = Annotated[AuthUser, Depends(current_user)]
FirstPartyUser = Annotated[AuthUser, Depends(first_party_user)]
OptionalUser = Annotated[AuthUser | None, Depends(optional_user)]
VerifiedUser = Annotated[AuthUser, Depends(verified_user)]
