"""Forgotten passwords: mail a single-use link, then set a new password with its token."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.events import PasswordReset
from foundry.auth.jwt import JwtService
from foundry.auth.notifications import ResetPassword, notifiable_user, notification_class
from foundry.auth.password_resets import PasswordResetBroker
from foundry.auth.passwords import PasswordHasher, check_password_strength
from foundry.auth.refresh_tokens import RefreshTokenService
from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.config.app import AppSettings
from foundry.config.notifications import NotificationSettings
from foundry.events import EventDispatcher
from foundry.kernel.errors import ValidationError
from foundry.notifications import NotificationSender

__all__ = ["PasswordResetService"]

RESET_MINUTES = 60
_INVALID = {"email": ["This password reset token is invalid."]}


class PasswordResetService:
    """``forgot`` answers the same whether or not the email exists; ``reset`` spends a token."""

    def __init__(
        self,
        session: AsyncSession,
        hasher: PasswordHasher,
        jwt: JwtService,
        notifications: NotificationSender,
        events: EventDispatcher,
        app: AppSettings,
        users: UserProvider,
        settings: NotificationSettings,
    ) -> None:
        self.users = users
        self.session = session
        self.hasher = hasher
        self.jwt = jwt
        self.notifications = notifications
        self.settings = settings
        self.events = events
        self.app = app
        self.broker = PasswordResetBroker(session)

    async def forgot(self, email: str) -> None:
        """Queue the reset link for ``email``: the same work whether or not it has an account.

        The lookup, the token and the mail happen on a worker (:class:`SendPasswordResetLink`).
        """
        # Imported here: the job module imports this one (its handle asks for this service).
        from foundry.auth.services.send_password_reset_link import SendPasswordResetLink

        await SendPasswordResetLink.dispatch(email)

    async def send_link(self, email: str) -> None:
        """Send a reset link (the ``reset_password_notification`` class, mail by default) if
        ``email`` belongs to a user (silently nothing otherwise)."""
        user = await self.users.find_by_email(self.session, email)
        if user is None:
            return
        token = await self.broker.create(user.email)
        if token is None:  # asked again within the throttle: the earlier link still works
            return
        query = urlencode({"token": token, "email": user.email})
        url = f"{self.app.url.rstrip('/')}/reset-password?{query}"
        cls = notification_class(self.settings.reset_password_notification, ResetPassword)
        notification = cls(user_name=user.name, url=url, minutes=RESET_MINUTES)
        # Sent from here (a worker already), never queued: the token stays out of payloads.
        await self.notifications.send_now(notifiable_user(user), notification)
        await self.session.commit()

    async def reset(self, email: str, token: str, password: str) -> None:
        """Set a new password with a valid token; every session of the user ends."""
        user = await self.users.find_by_email(self.session, email)
        if user is None or not await self.broker.consume(email, token):
            await self.session.commit()  # an expired token found on the way is gone for good
            raise ValidationError(_INVALID)
        problems = check_password_strength(password, email=user.email, name=user.name)
        if problems:
            await self.session.rollback()  # keep the token: the user may try a stronger one
            raise ValidationError({"password": problems})
        user.password = await self.hasher.hash(password)
        tokens = RefreshTokenService(self.session)
        await self.jwt.end_user_sessions(user.id, await tokens.live_families(user.id), self.session)
        await tokens.revoke_all_for_user(user.id)
        await self.events.dispatch(PasswordReset(user))
        await self.session.commit()
