"""An application sends its own subclass of a framework notification, named in its config,
to add channels without touching the framework."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.services.auth_mail import VerifyEmailMail
from foundry.auth.services.email_verification_service import EmailVerificationService
from foundry.auth.services.password_reset_service import PasswordResetService
from foundry.kernel.application import Application
from foundry.kernel.facades import App
from foundry.mail import Mail
from foundry.notifications import Notifications
from foundry.testing.database import refresh_database
from tests.conftest import MakeApplication
from tests.foundry.notifications.samples import Outbox, OutboxChannel
from tests.foundry.testbench.factories import UserFactory


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    """The app sending its own ``VerifyEmail`` subclass, named in config."""
    return make_application(
        DATABASE_URL=database_url,
        MAIL_MAILER="array",
        NOTIFICATIONS_VERIFY_EMAIL="tests.foundry.notifications.samples.VerifyEverywhere",
    )


async def test_an_app_adds_a_channel_by_naming_its_subclass(session: AsyncSession) -> None:
    mail = Mail.fake()
    Notifications.extend(OutboxChannel)
    user = await UserFactory.new().unverified().create(session)
    await session.commit()
    user.route_notification_for_outbox = lambda n: "ann-phone"  # type: ignore[attr-defined]  # an app writes a method

    await App.make(EmailVerificationService).send(user)

    [(route, text)] = Outbox.delivered
    assert route == "ann-phone" and urlsplit(text.removeprefix("verify: ")).path.startswith(
        "/api/v1/auth/email/verify/"
    )
    [sent] = mail.sent(VerifyEmailMail)
    assert text == f"verify: {sent.url}"


async def test_a_configured_class_of_the_wrong_kind_fails_loudly(
    make_application: MakeApplication, database_url: str
) -> None:
    app = make_application(
        DATABASE_URL=database_url,
        MAIL_MAILER="array",
        NOTIFICATIONS_RESET_PASSWORD="tests.foundry.notifications.samples.VerifyEverywhere",
    )
    async with refresh_database(app), app.container.scope() as scope:
        session = scope.make(AsyncSession)
        user = await UserFactory.new().create(session)
        await session.commit()
        with pytest.raises(TypeError, match="must be ResetPassword or a subclass"):
            await scope.make(PasswordResetService).send_link(user.email)
