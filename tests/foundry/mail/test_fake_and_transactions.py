"""``Mail.fake()`` assertions, and mail held until commit (dropped on rollback)."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database.manager import DatabaseManager
from foundry.mail import Mail, MailFake
from tests.foundry.mail.conftest import MailAppFactory
from tests.foundry.mail.sample_mail import HtmlOnlyMail, WelcomeMail

metadata = MetaData()
signups = Table("mail_test_signups", metadata, Column("id", Integer, primary_key=True))


@pytest.fixture
def fake(mail_app: MailAppFactory) -> MailFake:
    mail_app()
    return Mail.fake()


async def test_the_fake_records_what_was_sent(fake: MailFake) -> None:
    await Mail.to("ada@example.com").send(WelcomeMail(user_name="Ada"))
    await Mail.mailer("smtp").send(WelcomeMail(user_name="Grace").to("grace@example.com"))

    fake.assert_sent(WelcomeMail)
    fake.assert_sent(WelcomeMail, lambda mail: mail.user_name == "Grace")
    fake.assert_sent(WelcomeMail, lambda mail: mail.has_to("ADA@example.com"))
    fake.assert_sent_times(WelcomeMail, 2)
    fake.assert_not_sent(HtmlOnlyMail)
    fake.assert_not_sent(WelcomeMail, lambda mail: mail.user_name == "Linus")
    assert [mail.user_name for mail in fake.sent(WelcomeMail)] == ["Ada", "Grace"]
    assert [sent.mailer for sent in fake.sent_messages()] == ["log", "smtp"]
    assert "Hello Grace," in (fake.sent_messages()[1].text or "")


async def test_the_fakes_failure_messages_say_what_was_sent(fake: MailFake) -> None:
    fake.assert_nothing_sent()
    with pytest.raises(AssertionError, match="WelcomeMail mailable was not sent. Sent instead: no"):
        fake.assert_sent(WelcomeMail)

    await Mail.to("ada@example.com").send(WelcomeMail(user_name="Ada"))
    await Mail.to("ada@example.com").send(WelcomeMail(user_name="Ada"))

    with pytest.raises(AssertionError, match=r"sent 2 times, but none matched the predicate"):
        fake.assert_sent(WelcomeMail, lambda mail: mail.user_name == "Bob")
    with pytest.raises(
        AssertionError, match=r"sent 2 times instead of once\. Sent: WelcomeMail \(x2\)"
    ):
        fake.assert_sent_times(WelcomeMail, 1)
    with pytest.raises(AssertionError, match=r"unexpected WelcomeMail mailable was sent 2 times: "):
        fake.assert_not_sent(WelcomeMail)
    with pytest.raises(AssertionError, match=r"Expected no mail to be sent, but got: WelcomeMail"):
        fake.assert_nothing_sent()


async def test_mail_sent_in_a_transaction_waits_for_commit_and_is_dropped_on_rollback(
    mail_app: MailAppFactory, database_url: str
) -> None:
    app = mail_app(DATABASE_URL=database_url)
    async with app.container.make(DatabaseManager).engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    fake = Mail.fake()

    async with app.container.scope() as scope:
        session = scope.make(AsyncSession)
        async with session.begin():
            await session.execute(insert(signups).values(id=1))
            await Mail.to("ada@example.com").send(WelcomeMail(user_name="Ada"))
            fake.assert_nothing_sent()
        fake.assert_sent(WelcomeMail, lambda mail: mail.user_name == "Ada")

        with pytest.raises(RuntimeError):
            async with session.begin():
                await session.execute(insert(signups).values(id=2))
                await Mail.to("bob@example.com").send(WelcomeMail(user_name="Bob"))
                raise RuntimeError("signup failed")
        async with session.begin():  # a later commit must not release the dropped mail
            await session.execute(insert(signups).values(id=3))

        await Mail.to("eve@example.com").send(WelcomeMail(user_name="Eve"))  # no unit of work

    assert [mail.user_name for mail in fake.sent(WelcomeMail)] == ["Ada", "Eve"]


async def test_after_commit_false_sends_at_once(
    mail_app: MailAppFactory, database_url: str
) -> None:
    app = mail_app(DATABASE_URL=database_url)
    async with app.container.make(DatabaseManager).engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    fake = Mail.fake()

    async with app.container.scope() as scope:
        session = scope.make(AsyncSession)
        async with session.begin():
            await session.execute(insert(signups).values(id=1))
            await Mail.send(WelcomeMail(user_name="Ada").to("ada@example.com"), after_commit=False)
            fake.assert_sent_times(WelcomeMail, 1)
