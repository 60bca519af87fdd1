"""Forgotten passwords: mail a single-use link, then set a new password with its token."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.events import PasswordReset
from app.auth.jwt import JwtService
from app.auth.password_resets import PasswordResetBroker
from app.auth.passwords import PasswordHasher, check_password_strength
from app.auth.refresh_tokens import RefreshTokenService
from app.events import EventDispatcher
from app.mail import MailManager
from app.models.user import User
from app.services.auth_mail import ResetPasswordMail
from app.support.errors import ValidationError
from config.app import AppSettings

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
        mail: MailManager,
        events: EventDispatcher,
        app: AppSettings,
    ) -> None:
        self.session = session
        self.hasher = hasher
        self.jwt = jwt
        self.mail = mail
        self.events = events
        self.app = app
        self.broker = PasswordResetBroker(session)

    async def forgot(self, email: str) -> None:
        """Queue the reset link for ``email``: the same work whether or not it has an account.

        The lookup, the token and the mail happen on a worker (:class:`SendPasswordResetLink`).
        """
        # Imported here: the job module imports this one (its handle asks for this service).
        from app.services.jobs.send_password_reset_link import SendPasswordResetLink

        await SendPasswordResetLink.dispatch(email)

    async def send_link(self, email: str) -> None:
        """Mail a reset link if ``email`` belongs to a user (silently nothing otherwise)."""
        user = (await self.session.scalars(User.scope_email(email))).one_or_none()
        if user is None:
            return
        token = await self.broker.create(user.email)
        if token is None:  # asked again within the throttle: the earlier link still works
            return
        query = urlencode({"token": token, "email": user.email})
        url = f"{self.app.url.rstrip('/')}/reset-password?{query}"
        mail = ResetPasswordMail(user_name=user.name, url=url, minutes=RESET_MINUTES)
        await self.mail.to(user.email, user.name).send(mail)
        await self.session.commit()

    async def reset(self, email: str, token: str, password: str) -> None:
        """Set a new password with a valid token; every session of the user ends."""
        user = (await self.session.scalars(User.scope_email(email))).one_or_none()
        if user is None or not await self.broker.consume(email, token):
            await self.session.commit()  # an expired token found on the way is gone for good
            raise ValidationError(_INVALID)
        problems = check_password_strength(password, email=user.email, name=user.name)
        if problems:
            await self.session.rollback()  # keep the token: the user may try a stronger one
            raise ValidationError({"password": problems})
        user.password = await self.hasher.hash(password)
        tokens = RefreshTokenService(self.session)
        await self.jwt.revoke_sessions(await tokens.live_families(user.id))
        await tokens.revoke_all_for_user(user.id)
        await self.events.dispatch(PasswordReset(user))
        await self.session.commit()
