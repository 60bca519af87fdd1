"""Registering through the API welcomes the new user: ``WelcomeNotification`` goes to their
inbox and their mailbox, from the ``notifications`` queue."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User
from app.notifications import WelcomeNotification
from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.mail import ArrayMailer, MailManager
from foundry.notifications import Notification
from foundry.queue import QueueManager
from foundry.testing import TestClient
from foundry.testing.database import migrate_database
from foundry.testing.queue import work_queue
from tests.conftest import MakeApplication

PASSWORD = "a long and unusual passphrase 42"
ADA = {
    "name": "Ada",
    "email": "ada@example.com",
    "password": PASSWORD,
    "password_confirmation": PASSWORD,
}


async def test_registering_sends_the_welcome_on_database_and_mail(
    client: TestClient, session: AsyncSession
) -> None:
    fake = Notification.fake()

    (await client.post("/api/v1/auth/register", json=ADA)).assert_status(201)

    ada = await session.scalar(select(User).where(User.email == "ada@example.com"))
    assert ada is not None
    fake.assert_sent_to(
        ada, WelcomeNotification, lambda n: n.user_name == "Ada", channels=["database", "mail"]
    )
    fake.assert_count(1)


async def test_a_refused_registration_welcomes_nobody(client: TestClient) -> None:
    fake = Notification.fake()

    (await client.post("/api/v1/auth/register", json={**ADA, "password": "short"})).assert_status(
        422
    )

    fake.assert_nothing_sent()


@pytest.fixture
async def committing_app(make_application: MakeApplication, database_url: str) -> Application:
    """The app on a migrated database whose commits are real (the worker reads them)."""
    await migrate_database(database_url)
    return make_application(DATABASE_URL=database_url, MAIL_MAILER="array")


@pytest.fixture
async def committing_client(committing_app: Application) -> AsyncIterator[TestClient]:
    async with TestClient(create_app(committing_app)) as client:
        yield client


async def test_the_new_user_finds_the_welcome_in_their_inbox_and_mailbox(
    committing_app: Application, committing_client: TestClient
) -> None:
    registered = await committing_client.post("/api/v1/auth/register", json=ADA)
    registered.assert_status(201)
    token = registered.json()["access_token"]
    # Queued, one job per channel: the registration itself sent nothing.
    queue = committing_app.container.make(QueueManager)
    assert await queue.size("notifications") == 2

    await work_queue(committing_app, queues=["notifications"])

    inbox = await committing_client.get(
        "/api/v1/notifications", headers={"Authorization": f"Bearer {token}"}
    )
    inbox.assert_ok()
    assert [entry["data"] for entry in inbox.json()["data"]] == [{"message": "Welcome Ada!"}]
    mailer = committing_app.container.make(MailManager).mailer("array")
    assert isinstance(mailer, ArrayMailer)
    [mail] = mailer.messages
    assert list(mail.envelope.recipients) == ["ada@example.com"]
    assert mail.message["Subject"] == "Welcome!"
