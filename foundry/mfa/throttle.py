"""Throttling of second-factor answers, per user and per ``mfa_token``.

* per user: ``MFA_LOCKOUT_ATTEMPTS`` wrong answers in ``MFA_LOCKOUT_SECONDS`` and every further
  answer is a 429 until the window ends (:class:`~foundry.mfa.events.MfaLockedOut` is dispatched
  when the limit is reached); a right answer clears the count;
* per ``mfa_token``: ``MFA_TOKEN_ATTEMPTS`` wrong answers spend it, so the password must be
  given again.

The counters live in the rate limiter's store (``RATE_LIMIT_STORE``): shared by every process
on Redis.
"""

from __future__ import annotations

from foundry.auth.user import AuthUser
from foundry.config.mfa import MfaSettings
from foundry.events import EventDispatcher
from foundry.kernel.errors import TooManyRequestsError
from foundry.mfa.events import MfaLockedOut
from foundry.mfa.factors import MfaClient
from foundry.rate_limiting import RateLimiterManager

__all__ = ["MfaThrottle"]


class MfaThrottle:
    """``check`` before verifying, then ``failed`` or ``succeeded``."""

    def __init__(
        self, limiter: RateLimiterManager, settings: MfaSettings, events: EventDispatcher
    ) -> None:
        self.limiter = limiter
        self.settings = settings
        self.events = events

    @staticmethod
    def _user_key(user: AuthUser) -> str:
        return f"mfa-user:{user.id}"

    async def check(self, user: AuthUser) -> None:
        """Raise :class:`TooManyRequestsError` (429) while ``user`` is locked out."""
        key = self._user_key(user)
        if await self.limiter.too_many_attempts(key, self.settings.lockout_attempts):
            retry_after = max(1, await self.limiter.available_in(key))
            raise TooManyRequestsError(
                f"Too many second-factor attempts. Please try again in {retry_after} seconds.",
                retry_after=retry_after,
            )

    async def failed(self, user: AuthUser, client: MfaClient, token_key: str | None) -> bool:
        """Count a wrong answer; whether the ``mfa_token`` (``token_key``) is now used up."""
        attempts = await self.limiter.hit(self._user_key(user), self.settings.lockout_seconds)
        if attempts == self.settings.lockout_attempts:
            await self.events.dispatch(MfaLockedOut(user, client))
        if token_key is None:
            return False
        used = await self.limiter.hit(f"mfa-token:{token_key}", self.settings.login_token_ttl)
        return used >= self.settings.token_attempts

    async def succeeded(self, user: AuthUser) -> None:
        """Forget ``user``'s wrong answers."""
        await self.limiter.clear(self._user_key(user))
