"""Sending now: each channel of ``via``, routes, on-demand notifiables, events, custom channels."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.events import Event
from foundry.mail import Mail
from foundry.notifications import (
    DatabaseNotification,
    Notification,
    NotificationFailed,
    NotificationMail,
    Notifications,
    NotificationSending,
    NotificationSent,
    UnknownChannelError,
)
from tests.foundry.notifications.samples import Outbox, OutboxChannel, Welcome
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User


async def _user(session: AsyncSession, name: str = "Ann") -> User:
    return await UserFactory.new().create(session, name=name, email=f"{name.lower()}@example.com")


async def test_notify_stores_a_row_and_mails_the_user(session: AsyncSession) -> None:
    mail = Mail.fake()
    user = await _user(session)

    await user.notify(Welcome("Ann"))
    await session.commit()

    [row] = (await session.scalars(user.notifications())).all()
    assert row.data == {"message": "Welcome Ann!"}
    assert row.type == "tests.foundry.notifications.samples.Welcome"
    assert row.read_at is None
    mail.assert_sent(
        NotificationMail,
        lambda m: m.has_to("ann@example.com") and m.build_subject() == "Welcome aboard",
    )


async def test_send_to_many_users_reaches_each(session: AsyncSession) -> None:
    Mail.fake()
    ann, bob = await _user(session, "Ann"), await _user(session, "Bob")

    await Notification.send([ann, bob], Welcome("team", channels=("database",)))

    assert len((await session.scalars(ann.notifications())).all()) == 1
    assert len((await session.scalars(bob.notifications())).all()) == 1


async def test_on_demand_routes_use_the_channels_routed(session: AsyncSession) -> None:
    mail = Mail.fake()
    Notifications.extend(OutboxChannel)

    await (
        Notification.route("mail", "ops@example.com")
        .route("outbox", "box-7")
        .notify(Welcome("ops", channels=("mail", "outbox")))
    )

    mail.assert_sent(NotificationMail, lambda m: m.has_to("ops@example.com"))
    assert Outbox.delivered == [("box-7", "welcome ops")]
    assert await session.scalar(select(func.count()).select_from(DatabaseNotification)) == 0


async def test_on_demand_routes_refuse_the_database_channel() -> None:
    with pytest.raises(ValueError, match="needs a model"):
        Notification.route("database", "x")


async def test_a_route_method_overrides_and_a_missing_route_skips(session: AsyncSession) -> None:
    Notifications.extend(OutboxChannel)
    user = await _user(session)

    # The test User has no route for "outbox": the channel skips it.
    await user.notify(Welcome("Ann", channels=("outbox",)))
    assert Outbox.delivered == []

    user.route_notification_for_outbox = lambda notification: "ann-box"  # type: ignore[attr-defined]  # an app defines it as a method
    await user.notify(Welcome("Ann", channels=("outbox",)))
    assert Outbox.delivered == [("ann-box", "welcome Ann")]


async def test_an_unknown_channel_is_named_in_the_error(session: AsyncSession) -> None:
    user = await _user(session)
    with pytest.raises(UnknownChannelError, match="'carrier-pigeon'"):
        await user.notify(Welcome("Ann", channels=("carrier-pigeon",)))


async def test_sending_listener_returning_false_cancels_that_channel(session: AsyncSession) -> None:
    mail = Mail.fake()
    user = await _user(session)
    sent: list[str] = []
    Event.listen(NotificationSending, lambda e: False if e.channel == "mail" else None)
    Event.listen(NotificationSent, lambda e: sent.append(e.channel))

    await user.notify(Welcome("Ann"))
    await session.commit()

    mail.assert_nothing_sent()
    assert len((await session.scalars(user.notifications())).all()) == 1
    assert sent == ["database"]


async def test_a_failing_channel_fires_notification_failed_and_raises(
    session: AsyncSession,
) -> None:
    Notifications.extend(OutboxChannel)
    Outbox.failures_left[0] = 1
    failed: list[NotificationFailed] = []
    Event.listen(NotificationFailed, failed.append)

    with pytest.raises(ConnectionError):
        await Notification.route("outbox", "box").notify(Welcome("x", channels=("outbox",)))

    [event] = failed
    assert event.channel == "outbox" and isinstance(event.exception, ConnectionError)


async def test_should_send_false_skips_the_channel(session: AsyncSession) -> None:
    class OnlyMail(Welcome):
        def should_send(self, notifiable: object, channel: str) -> bool:
            return channel == "mail"

    mail = Mail.fake()
    user = await _user(session)
    await user.notify(OnlyMail("Ann"))
    await session.commit()  # mail sent inside a unit of work leaves once it commits

    mail.assert_sent(NotificationMail)
    assert (await session.scalars(user.notifications())).all() == []


async def test_a_rollback_drops_the_stored_notification(session: AsyncSession) -> None:
    user = await _user(session)
    await session.commit()
    async with session.begin_nested():
        await user.notify(Welcome("Ann", channels=("database",)))
        assert len((await session.scalars(user.notifications())).all()) == 1
        await session.rollback()
    assert (await session.scalars(user.notifications())).all() == []


async def test_a_model_without_notifiable_is_refused_clearly(session: AsyncSession) -> None:
    with pytest.raises(TypeError, match="Notifiable mixin"):
        await Notification.send(object(), Welcome("x"))  # type: ignore[arg-type]  # the mistake
    with pytest.raises(TypeError, match="Notifiable mixin"):
        await Notification.send([object()], Welcome("x"))  # type: ignore[list-item]  # the mistake
