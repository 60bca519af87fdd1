"""The ``database`` channel and what ``Notifiable`` reads back: newest first, unread, read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.notifications import Notification, NotificationError
from tests.foundry.notifications.samples import Welcome
from tests.foundry.testbench.factories import UserFactory


@dataclass
class Plain(Notification):
    """Uses ``to_array`` for the database, as Laravel falls back to it."""

    n: int

    def via(self, notifiable: Any) -> list[str]:
        return ["database"]

    def to_array(self, notifiable: Any) -> dict[str, Any]:
        return {"n": self.n}


@dataclass
class Silent(Notification):
    def via(self, notifiable: Any) -> list[str]:
        return ["database"]


async def test_newest_first_unread_and_mark_as_read(session: AsyncSession) -> None:
    user = await UserFactory.new().create(session)
    other = await UserFactory.new().create(session)
    for n in range(3):
        await user.notify(Plain(n))
    await other.notify(Plain(99))
    await session.commit()

    rows = (await session.scalars(user.notifications())).all()
    assert [row.data["n"] for row in rows] == [2, 1, 0]

    assert await user.mark_as_read(session, [rows[0].id]) == 1
    await session.commit()
    unread = (await session.scalars(user.unread_notifications())).all()
    assert [row.data["n"] for row in unread] == [1, 0]
    read = (await session.scalars(user.read_notifications())).all()
    assert [row.data["n"] for row in read] == [2]

    assert await user.mark_as_read(session) == 2
    await session.commit()
    assert (await session.scalars(user.unread_notifications())).all() == []
    # Nobody else's inbox moved.
    assert len((await session.scalars(other.unread_notifications())).all()) == 1


async def test_a_notification_without_to_database_is_a_clear_error(session: AsyncSession) -> None:
    user = await UserFactory.new().create(session)
    with pytest.raises(NotificationError, match="to_database"):
        await user.notify(Silent())


async def test_the_row_is_part_of_the_callers_unit_of_work(session: AsyncSession) -> None:
    user = await UserFactory.new().create(session)
    await session.commit()
    transaction = await session.begin_nested()
    await user.notify(Welcome("Ann", channels=("database",)))
    await transaction.rollback()
    assert (await session.scalars(user.notifications())).all() == []
