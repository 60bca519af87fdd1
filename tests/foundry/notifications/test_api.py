"""``/api/v1/notifications``: the signed-in user's notifications, and nobody else's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.notifications import Notification
from foundry.testing import TestClient, count_queries
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

API = "/api/v1/notifications"


@dataclass
class Ping(Notification):
    n: int

    def via(self, notifiable: Any) -> list[str]:
        return ["database"]

    def to_database(self, notifiable: Any) -> dict[str, Any]:
        return {"n": self.n}


async def _inbox(session: AsyncSession, count: int) -> tuple[User, User]:
    user, other = await UserFactory.new().count(2).create_many(session)
    for n in range(count):
        await user.notify(Ping(n))
    await other.notify(Ping(100))
    await session.commit()
    return user, other


async def test_index_pages_newest_first_and_filters_unread(
    client: TestClient, session: AsyncSession
) -> None:
    user, _ = await _inbox(session, 3)
    rows = (await session.scalars(user.notifications())).all()
    await user.mark_as_read(session, [rows[0].id])
    await session.commit()
    client.acting_as(user)

    page = (await client.get(f"{API}?per_page=2")).assert_ok().json()
    assert [item["data"]["n"] for item in page["data"]] == [2, 1]
    assert page["meta"]["total"] == 3 and page["meta"]["last_page"] == 2
    assert page["data"][0]["read_at"] is not None and page["data"][1]["read_at"] is None
    assert set(page["data"][0]) == {"id", "type", "data", "read_at", "created_at"}

    unread = (await client.get(f"{API}?unread=1")).assert_ok().json()
    assert [item["data"]["n"] for item in unread["data"]] == [1, 0]


async def test_index_runs_a_bounded_number_of_queries(
    client: TestClient, session: AsyncSession
) -> None:
    user, _ = await _inbox(session, 12)
    client.acting_as(user)
    (await client.get(API)).assert_ok()  # warms the revoked-token list the guard caches
    with count_queries(session) as few:
        (await client.get(API)).assert_ok()
    await _inbox_more(session, user, 20)
    with count_queries(session) as many:
        (await client.get(f"{API}?per_page=30")).assert_ok().assert_json_count(30, "data")
    # The user, the count, the page: whatever the page size.
    assert many.count == few.count == 3, many.statements


async def _inbox_more(session: AsyncSession, user: User, count: int) -> None:
    for n in range(count):
        await user.notify(Ping(n))
    await session.commit()


async def test_read_read_all_and_delete(client: TestClient, session: AsyncSession) -> None:
    user, _ = await _inbox(session, 3)
    first, second, third = (await session.scalars(user.notifications())).all()
    client.acting_as(user)

    read = (await client.post(f"{API}/{first.id}/read")).assert_ok().json()
    # Not wrapped in "data": the notification has a "data" key of its own (Laravel's rule).
    assert read["id"] == str(first.id) and read["read_at"] is not None

    (await client.post(f"{API}/read-all")).assert_ok().assert_json({"marked": 2})
    (await client.post(f"{API}/read-all")).assert_ok().assert_json({"marked": 0})

    (await client.delete(f"{API}/{second.id}")).assert_no_content()
    (await client.delete(f"{API}/{second.id}")).assert_not_found()
    remaining = (await client.get(API)).assert_ok().json()
    assert [item["id"] for item in remaining["data"]] == [str(first.id), str(third.id)]


async def test_another_users_notification_is_not_found(
    client: TestClient, session: AsyncSession
) -> None:
    user, other = await _inbox(session, 1)
    [theirs] = (await session.scalars(other.notifications())).all()
    client.acting_as(user)

    (await client.post(f"{API}/{theirs.id}/read")).assert_not_found()
    (await client.delete(f"{API}/{theirs.id}")).assert_not_found()
    (await client.post(f"{API}/read-all")).assert_ok().assert_json({"marked": 1})
    [still] = (await session.scalars(other.unread_notifications())).all()
    assert still.id == theirs.id


async def test_bad_input_and_guests(client: TestClient, session: AsyncSession) -> None:
    user, _ = await _inbox(session, 1)
    (await client.get(API)).assert_unauthorized()
    client.acting_as(user)
    (await client.post(f"{API}/not-a-uuid/read")).assert_unprocessable()
    (await client.get(f"{API}?unread=maybe")).assert_unprocessable()
    (await client.get(f"{API}?page=0")).assert_unprocessable()
