"""MFA route dependencies: ``require_mfa(max_age=...)`` (step-up) and ``EnrolmentUser``.

    @router.post("/danger", dependencies=[Depends(require_mfa(max_age=300))])
    async def danger(...): ...

    @router.post("/auth/mfa/totp")                      # an enrolment endpoint
    async def enrol(user: EnrolmentUser, ...): ...

``require_mfa`` passes a user who has MFA only when the access token's ``mfa_at`` (the last
second-factor proof, kept across refreshes) is at most ``max_age`` seconds old (default
``MFA_STEP_UP_MAX_AGE``); otherwise 403 ``mfa_required``, and the client proves a factor at
``POST /api/v1/auth/mfa/step-up``. Users without MFA pass: requiring it of them would lock out
every account that never enrolled (the policy decides who must enrol, see ``MfaPolicyService``).

``EnrolmentUser`` accepts first-party login tokens, including the restricted token a user who
must enrol gets (which every other route refuses with 403 ``mfa_enrolment_required``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.config.mfa import MfaSettings
from foundry.http.auth import ADMITS_ENROLMENT, Authenticated, current_user
from foundry.http.dependencies import Inject
from foundry.http.guards import AUTHENTICATES, REQUIRES, STATES_TOKENS, mark
from foundry.kernel.errors import AuthenticationError, AuthorizationError
from foundry.mfa.clock import MfaClock
from foundry.mfa.policy import MfaPolicyService

__all__ = ["EnrolmentUser", "enrolment_user", "require_mfa"]


def require_mfa(
    max_age: int | None = None,
) -> Callable[..., Awaitable[AuthUser]]:
    """A dependency demanding a second factor proved within ``max_age`` seconds (users who
    have MFA only); answers the user."""

    async def dependency(
        auth: Authenticated,
        user: Annotated[AuthUser, Depends(current_user)],
        policy: Inject[MfaPolicyService],
        session: Inject[AsyncSession],
        settings: Inject[MfaSettings],
        clock: Inject[MfaClock],
    ) -> AuthUser:
        if not await policy.has_mfa(session, user):
            return user
        limit = settings.step_up_max_age if max_age is None else max_age
        proved = None if auth is None or auth.claims is None else auth.claims.get("mfa_at")
        if not isinstance(proved, (int, float)) or clock.now() - proved > limit:
            raise AuthorizationError(
                "This action needs a recent second factor: verify one at "
                "POST /api/v1/auth/mfa/step-up, then retry with the new token.",
                error="mfa_required",
            )
        return user

    mark(dependency, REQUIRES, "mfa" if max_age is None else f"mfa:{max_age}")
    return dependency


async def enrolment_user(auth: Authenticated) -> AuthUser:
    """The user of a first-party login token, the enrolment-only one included (401 without a
    token, 403 for OAuth and personal access tokens)."""
    if auth is None or auth.user is None:
        raise AuthenticationError(headers={"WWW-Authenticate": "Bearer"})
    if not auth.first_party:
        raise AuthorizationError(
            "This endpoint needs a first-party login token.", error="first_party_token_required"
        )
    return auth.user


mark(enrolment_user, ADMITS_ENROLMENT)
mark(enrolment_user, STATES_TOKENS)
mark(enrolment_user, AUTHENTICATES, "first-party")

#: The user of an MFA enrolment endpoint: full and enrolment-only first-party tokens pass.
EnrolmentUser = Annotated[AuthUser, Depends(enrolment_user)]
