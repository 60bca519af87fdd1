"""Signing in on the OAuth2 pages (consent, device): the same checks as the login API.

Throttled per email and IP, a dummy hash for unknown emails (same timing as a wrong password),
``Login``/``LoginFailed`` events; the browser keeps a signed session cookie instead of tokens.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.authenticatable import normalize_email
from foundry.auth.events import Login, LoginFailed
from foundry.auth.passwords import PasswordHasher
from foundry.auth.services.auth_service import LOGIN_DECAY_SECONDS, MAX_LOGIN_ATTEMPTS
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.events import EventDispatcher
from foundry.kernel.errors import TooManyRequestsError
from foundry.rate_limiting import RateLimiterManager

__all__ = ["BrowserLoginService"]


class BrowserLoginService:
    """``attempt(email, password, ip)`` -> the user, or ``None`` for wrong credentials."""

    def __init__(
        self,
        session: AsyncSession,
        hasher: PasswordHasher,
        events: EventDispatcher,
        limiter: RateLimiterManager,
        users: UserProvider,
    ) -> None:
        self.users = users
        self.session = session
        self.hasher = hasher
        self.events = events
        self.limiter = limiter

    async def attempt(self, email: str, password: str, ip: str | None) -> AuthUser | None:
        """Check the credentials.

        Raises:
            TooManyRequestsError: after too many failures for this email and address.
        """
        key = f"login:{normalize_email(email)}|{ip or ''}"
        if await self.limiter.too_many_attempts(key, MAX_LOGIN_ATTEMPTS):
            retry_after = await self.limiter.available_in(key)
            raise TooManyRequestsError(
                f"Too many login attempts. Please try again in {retry_after} seconds.",
                retry_after=retry_after,
            )
        found = await self.users.find_by_email(self.session, email)
        user = found if isinstance(found, AuthUser) else None
        await self.session.commit()  # end the read before the ~50 ms hash (SQLite snapshots)
        check = await self.hasher.check(user.password if user else None, password)
        if user is None or not check.valid:
            await self.limiter.hit(key, LOGIN_DECAY_SECONDS)
            await self.events.dispatch(LoginFailed(normalize_email(email), ip), after_commit=False)
            return None
        await self.limiter.clear(key)
        if check.new_hash is not None:
            user.password = check.new_hash
        await self.events.dispatch(Login(user))
        await self.session.commit()
        return user
