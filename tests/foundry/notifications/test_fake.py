"""``Notification.fake()``: records what would go out, with Laravel's assertions."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.mail import Mail
from foundry.notifications import Notification
from foundry.queue import Queue
from tests.foundry.notifications.samples import Alert, QueuedWelcome, Stale, Welcome
from tests.foundry.testbench.factories import UserFactory


async def test_assertions_on_sent_notifications(session: AsyncSession) -> None:
    fake = Notification.fake()
    mail = Mail.fake()
    queue = Queue.fake()
    ann, bob = await UserFactory.new().count(2).create_many(session)

    fake.assert_nothing_sent()
    await ann.notify(Welcome("Ann"))
    await Notification.send([ann, bob], QueuedWelcome("all"))
    await Notification.route("mail", "ops@example.com").notify(Alert("Disk full"))

    fake.assert_sent_to(ann, Welcome, lambda n: n.user_name == "Ann", channels=["database", "mail"])
    fake.assert_sent_to(bob, QueuedWelcome)
    fake.assert_not_sent_to(bob, Welcome, lambda n: type(n) is Welcome)
    fake.assert_not_sent_to(ann, Alert)
    fake.assert_sent_on_demand(Alert, lambda n, to: to.routes["mail"] == "ops@example.com")
    fake.assert_count(4)
    # Nothing left the process: no mail, no job, no row.
    mail.assert_nothing_sent()
    queue.assert_nothing_pushed()
    assert (await session.scalars(ann.notifications())).all() == []


async def test_failed_assertions_say_what_was_sent(session: AsyncSession) -> None:
    fake = Notification.fake()
    ann = await UserFactory.new().create(session)
    await ann.notify(Welcome("Ann"))

    with pytest.raises(AssertionError, match="Alert was not sent to .* Welcome"):
        fake.assert_sent_to(ann, Alert)
    with pytest.raises(AssertionError, match=r"not sent on \['sms'\]"):
        fake.assert_sent_to(ann, Welcome, channels=["sms"])
    with pytest.raises(AssertionError, match="expected 2 notifications sent, got 1"):
        fake.assert_count(2)
    with pytest.raises(AssertionError, match="notifications were sent"):
        fake.assert_nothing_sent()
    with pytest.raises(AssertionError, match="Alert was not sent on demand"):
        fake.assert_sent_on_demand(Alert)


async def test_the_fake_honours_should_send(session: AsyncSession) -> None:
    fake = Notification.fake()
    gone = await UserFactory.new().create(session, name="Gone")
    await gone.notify(Stale("x"))
    fake.assert_not_sent_to(gone, Stale)
    fake.assert_nothing_sent()
