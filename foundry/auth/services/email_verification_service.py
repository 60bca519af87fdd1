"""Email verification: a signed, expiring link proves the user reads that mailbox."""

from __future__ import annotations

import hashlib

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.events import Verified
from foundry.auth.notifications import VerifyEmail, notifiable_user, notification_class
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.config.notifications import NotificationSettings
from foundry.database import utcnow
from foundry.events import EventDispatcher
from foundry.kernel.application import Application
from foundry.kernel.compare import secrets_match
from foundry.kernel.errors import AuthorizationError, TooManyRequestsError
from foundry.kernel.signed_urls import UrlSigner
from foundry.notifications import NotificationSender
from foundry.rate_limiting import RateLimiterManager

__all__ = ["EmailVerificationService", "VERIFY_PATH"]

VERIFY_PATH = "/api/v1/auth/email/verify"
VERIFY_MINUTES = 60
MAX_MAILS_PER_MINUTE = 6


def email_hash(email: str) -> str:
    """What the link carries to bind it to the address (Laravel uses the same SHA-1)."""
    return hashlib.sha1(email.encode("utf-8")).hexdigest()  # an identifier, not a secret


class EmailVerificationService:
    """Sends verification links and marks users verified."""

    def __init__(
        self,
        session: AsyncSession,
        notifications: NotificationSender,
        events: EventDispatcher,
        limiter: RateLimiterManager,
        app: Application,
        users: UserProvider,
        settings: NotificationSettings,
    ) -> None:
        self.users = users
        self.session = session
        self.notifications = notifications
        self.settings = settings
        self.events = events
        self.limiter = limiter
        self.app = app
        self.signer = UrlSigner(app.key())

    def link_path(self, user: AuthUser) -> str:
        """The signed path (relative, so it verifies behind any host or proxy)."""
        path = f"{VERIFY_PATH}/{user.id}/{email_hash(user.email)}"
        return self.signer.sign(path, expires_in=VERIFY_MINUTES * 60)

    async def send(self, user: AuthUser) -> bool:
        """Send the link (the ``verify_email_notification`` class, mail by default) unless the
        user is verified already; 429 past 6 a minute."""
        if user.has_verified_email:
            return False
        key = f"verification-mail:{user.id}"
        if await self.limiter.too_many_attempts(key, MAX_MAILS_PER_MINUTE):
            raise TooManyRequestsError(retry_after=await self.limiter.available_in(key))
        await self.limiter.hit(key, 60)
        url = self.app.settings.url.rstrip("/") + self.link_path(user)
        cls = notification_class(self.settings.verify_email_notification, VerifyEmail)
        notification = cls(user_name=user.name, url=url, minutes=VERIFY_MINUTES)
        await self.notifications.send_now(notifiable_user(user), notification)
        return True

    async def verify(self, user_id: int, hash_: str, signed_path: str) -> AuthUser:
        """Mark the user verified when the link is ours, unexpired and for their address."""
        if not self.signer.verify(signed_path):
            raise AuthorizationError(
                "Invalid or expired verification link.", error="invalid_signature"
            )
        user = await self.users.find(self.session, user_id)
        if user is None or not secrets_match(email_hash(user.email), hash_):
            raise AuthorizationError(
                "Invalid or expired verification link.", error="invalid_signature"
            )
        if not user.has_verified_email:
            user.email_verified_at = utcnow()
            await self.events.dispatch(Verified(user))
            await self.session.commit()
        return user
