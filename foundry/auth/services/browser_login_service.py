"""Signing in on the OAuth2 pages (consent, device): the same checks as the login API.

Throttled per email and IP and per IP (:class:`LoginThrottle`), a dummy hash for unknown emails (same timing as a wrong password),
``Login``/``LoginFailed`` events; the browser keeps a signed session cookie instead of tokens.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.authenticatable import normalize_email
from foundry.auth.events import Login, LoginFailed
from foundry.auth.passwords import PasswordHasher
from foundry.auth.services.login_throttle import LoginThrottle
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.events import EventDispatcher
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
        self.throttle = LoginThrottle(limiter)

    async def attempt(self, email: str, password: str, ip: str | None) -> AuthUser | None:
        """Check the credentials.

        Raises:
            TooManyRequestsError: after too many failures for this email and address, or for
                this address.
        """
        await self.throttle.check(email, ip)
        found = await self.users.find_by_email(self.session, email)
        user = found if isinstance(found, AuthUser) else None
        await self.session.commit()  # end the read before the ~50 ms hash (SQLite snapshots)
        check = await self.hasher.check(user.password if user else None, password)
        if user is None or not check.valid:
            await self.throttle.failed(email, ip)
            await self.events.dispatch(LoginFailed(normalize_email(email), ip), after_commit=False)
            return None
        await self.throttle.succeeded(email, ip)
        if check.new_hash is not None:
            user.password = check.new_hash
        await self.events.dispatch(Login(user))
        await self.session.commit()
        return user
