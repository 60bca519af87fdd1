"""The auth flows send notifications: ``VerifyEmail`` and ``ResetPassword``, on mail by
default, on more channels when the application names a subclass in its config."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.notifications import ResetPassword, VerifyEmail
from foundry.auth.services.auth_mail import VerifyEmailMail
from foundry.auth.services.email_verification_service import EmailVerificationService
from foundry.auth.services.password_reset_service import PasswordResetService
from foundry.kernel.facades import App
from foundry.mail import Mail
from foundry.notifications import Notification
from tests.foundry.testbench.factories import UserFactory


async def test_verification_and_reset_links_are_notifications_to_the_user(
    session: AsyncSession,
) -> None:
    fake = Notification.fake()
    user = await UserFactory.new().unverified().create(session, name="Ann")
    await session.commit()

    await App.make(EmailVerificationService).send(user)
    await App.make(PasswordResetService).send_link(user.email)

    fake.assert_sent_to(user, VerifyEmail, lambda n: "/email/verify/" in n.url, channels=["mail"])
    fake.assert_sent_to(user, ResetPassword, lambda n: "token=" in n.url, channels=["mail"])


async def test_the_mail_is_addressed_to_the_user_by_name(session: AsyncSession) -> None:
    mail = Mail.fake()
    user = await UserFactory.new().unverified().create(session, name="Ann Lee")
    await session.commit()

    await user.notify(VerifyEmail(user_name="Ann Lee", url="https://x.test/v", minutes=60))

    [sent] = mail.sent_messages(VerifyEmailMail)
    assert sent.message["To"] == f"Ann Lee <{user.email}>"
