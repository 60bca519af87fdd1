"""Checked by mypy only, never run: the notification API and the ``Notifications`` facade are
typed.

Each ``type: ignore[...]`` marks a call mypy must reject; ``warn_unused_ignores`` (part of
``--strict``) fails the check if mypy ever stops rejecting it.
"""

from __future__ import annotations

from typing import assert_type

from sqlalchemy import Select

from foundry.notifications import (
    AnonymousNotifiable,
    DatabaseNotification,
    Notification,
    NotificationFake,
    Notifications,
)
from tests.foundry.notifications.samples import OutboxChannel, Welcome
from tests.foundry.testbench.models import User


async def well_typed(user: User, users: list[User]) -> None:
    await user.notify(Welcome("Ann"))
    await Notification.send(users, Welcome("all"))
    on_demand = Notification.route("mail", "a@example.com").route("slack", "https://hooks.test")
    assert_type(on_demand, AnonymousNotifiable)
    await on_demand.notify(Welcome("ops"))
    Notifications.extend(OutboxChannel)
    fake = Notification.fake()
    assert_type(fake, NotificationFake)
    assert_type(fake.sent(user, Welcome), list[Welcome])
    fake.assert_sent_to(user, Welcome, lambda n: n.user_name == "Ann")
    fake.assert_sent_on_demand(Welcome, lambda n, to: to.routes["mail"] == "a@example.com")
    assert_type(user.unread_notifications(), Select[DatabaseNotification])
    row = DatabaseNotification(type="t", notifiable_type="users", notifiable_id="1", data={})
    row.mark_as_read()


async def rejected(user: User) -> None:
    await user.notify("hello")  # type: ignore[arg-type]
    Notifications.extend(User)  # type: ignore[arg-type]
    fake = Notification.fake()
    fake.assert_sent_to(user, Welcome, lambda n: n.missing)  # type: ignore[attr-defined]
