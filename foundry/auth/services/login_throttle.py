"""Failed-login throttling shared by the login API, the OAuth2 sign-in page and the password grant.

Two counters, both of failures only:

* per (email, IP): ``RATE_LIMIT_LOGIN_PER_MINUTE`` (5, Laravel's), so one account cannot be
  guessed at from one address; a successful login clears it;
* per IP: ``RATE_LIMIT_LOGIN_IP_PER_MINUTE`` (20), so one address cannot try one password
  against many accounts. A success does not clear it: an attacker holding one account of
  their own could otherwise reset it between guesses.
"""

from __future__ import annotations

from foundry.auth.authenticatable import normalize_email
from foundry.kernel.errors import TooManyRequestsError
from foundry.rate_limiting import RateLimiterManager

__all__ = ["LOGIN_DECAY_SECONDS", "LoginThrottle"]

LOGIN_DECAY_SECONDS = 60


class LoginThrottle:
    """``check`` before verifying a password, then ``failed`` or ``succeeded``.

    ``kind`` keeps separate counters for separate doors (``"login"``, ``"oauth-password"``).
    """

    def __init__(self, limiter: RateLimiterManager, kind: str = "login") -> None:
        self.limiter = limiter
        self.kind = kind

    def _keys(self, email: str, ip: str | None) -> tuple[tuple[str, int], tuple[str, int]]:
        settings = self.limiter.settings
        return (
            (f"{self.kind}:{normalize_email(email)}|{ip or ''}", settings.login_per_minute),
            (f"{self.kind}-ip:{ip or ''}", settings.login_ip_per_minute),
        )

    async def check(self, email: str, ip: str | None) -> None:
        """Raise :class:`TooManyRequestsError` (429, ``Retry-After``) if either counter is full."""
        for key, max_attempts in self._keys(email, ip):
            if await self.limiter.too_many_attempts(key, max_attempts):
                retry_after = max(1, await self.limiter.available_in(key))
                raise TooManyRequestsError(
                    f"Too many login attempts. Please try again in {retry_after} seconds.",
                    retry_after=retry_after,
                )

    async def failed(self, email: str, ip: str | None) -> None:
        """Count a failed attempt against both counters."""
        for key, _ in self._keys(email, ip):
            await self.limiter.hit(key, LOGIN_DECAY_SECONDS)

    async def succeeded(self, email: str, ip: str | None) -> None:
        """Forget the (email, IP) failures; the per-IP count stays until its window ends."""
        (key, _), _ip = self._keys(email, ip)
        await self.limiter.clear(key)
