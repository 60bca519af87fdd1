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

Pages signed in through the browser session (the OAuth2 pages' cookie, the queue dashboard) ask
:class:`BrowserMfa` instead: the cookie records when the user last proved a factor (the sign-in's
second step, or the step-up page at :data:`STEP_UP_PATH`), and an action that needs a recent one
answers 403 ``mfa_required``; a user whose role must use MFA but who has no factor yet gets 403
``mfa_enrolment_required``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Literal

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.config.mfa import MfaSettings
from foundry.http.auth import ADMITS_ENROLMENT, Authenticated, current_user
from foundry.http.dependencies import Inject
from foundry.http.guards import AUTHENTICATES, REQUIRES, STATES_TOKENS, mark
from foundry.http.web_session import BrowserSession
from foundry.kernel.errors import AuthenticationError, AuthorizationError
from foundry.mfa.clock import MfaClock
from foundry.mfa.policy import MfaPolicyService

__all__ = [
    "STEP_UP_PATH",
    "BrowserMfa",
    "BrowserMfaState",
    "EnrolmentUser",
    "enrolment_user",
    "require_mfa",
]

#: The page where a browser session proves a second factor again (``?next=`` comes back).
STEP_UP_PATH = "/oauth/step-up"

#: What a browser session's user needs before a step-up action: ``none`` (no factor, none
#: required), ``fresh`` (proved recently enough), ``step_up`` (prove one again at
#: :data:`STEP_UP_PATH`) or ``enrol`` (their role must use MFA and they have no factor).
BrowserMfaState = Literal["none", "fresh", "step_up", "enrol"]


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


class BrowserMfa:
    """Step-up for pages signed in through the browser session (``require_mfa``'s counterpart:
    the proof's time is the cookie's ``mfa_at``, not a token's claim)."""

    def __init__(
        self,
        session: AsyncSession,
        policy: MfaPolicyService,
        settings: MfaSettings,
        clock: MfaClock,
    ) -> None:
        self.session = session
        self.policy = policy
        self.settings = settings
        self.clock = clock

    async def state(
        self, browser: BrowserSession, user: AuthUser, max_age: int | None = None
    ) -> BrowserMfaState:
        """Where ``user`` (the user of ``browser``) stands; ``max_age`` seconds (default
        ``MFA_STEP_UP_MAX_AGE``) is how recent the second factor must be."""
        if await self.policy.has_mfa(self.session, user):
            limit = self.settings.step_up_max_age if max_age is None else max_age
            return "fresh" if browser.mfa_within(limit, self.clock.now()) else "step_up"
        # A user the policy requires MFA of must not skip it by never enrolling.
        return "enrol" if await self.policy.must_enrol(self.session, user) else "none"

    async def require(
        self, browser: BrowserSession, user: AuthUser, max_age: int | None = None
    ) -> None:
        """Pass when :meth:`state` is ``none`` or ``fresh``; otherwise 403 ``mfa_required``
        (prove a factor at :data:`STEP_UP_PATH`) or ``mfa_enrolment_required``."""
        state = await self.state(browser, user, max_age)
        if state == "step_up":
            raise AuthorizationError(
                "This action needs a recent second factor: verify one at "
                f"{STEP_UP_PATH}, then try again.",
                error="mfa_required",
            )
        if state == "enrol":
            raise AuthorizationError(
                "Your role must use a second factor for this action: set one up (an "
                f"authenticator app or a passkey), verify it at {STEP_UP_PATH}, then try again.",
                error="mfa_enrolment_required",
            )
