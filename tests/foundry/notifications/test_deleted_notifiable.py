"""A deleted user's stored notifications and push subscriptions go with it, however it is
deleted, and nobody created later inherits them; a soft delete keeps them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.notifications import DatabaseNotification
from foundry.notifications.push.subscriptions import (
    PushRecipient,
    PushSubscriptions,
    SubscriptionKeys,
)
from foundry.notifications.tables import PushSubscription
from tests.foundry.notifications.samples import Welcome
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

Deletion = Callable[[AsyncSession, User], Awaitable[None]]


async def _owned(session: AsyncSession, user_id: int) -> tuple[int, int]:
    """How many notifications and push subscriptions name ``users``/``user_id``."""
    counts = []
    for model in (DatabaseNotification, PushSubscription):
        count = await session.scalar(
            select(func.count())
            .select_from(model)
            .where(model.notifiable_type == "users", model.notifiable_id == str(user_id))
        )
        counts.append(int(count or 0))
    return counts[0], counts[1]


async def _session_delete(session: AsyncSession, user: User) -> None:
    await session.delete(user)


async def _force_delete(session: AsyncSession, user: User) -> None:
    user.soft_delete()
    await session.flush()
    await user.force_delete(session)


async def _bulk_delete(session: AsyncSession, user: User) -> None:
    await session.execute(delete(User).where(User.email == user.email))


async def _bulk_delete_of_a_trashed_user(session: AsyncSession, user: User) -> None:
    # Soft-deleted rows are hidden from selects, not from a bulk DELETE: theirs go too.
    user.soft_delete()
    await session.flush()
    await session.execute(delete(User).where(User.email == user.email))


@pytest.fixture
async def owners(session: AsyncSession) -> tuple[User, User]:
    """Two users with two stored notifications and a browser each; the second was made last."""
    kept, doomed = await UserFactory.new().count(2).create_many(session)
    await session.commit()
    subscriptions = PushSubscriptions(session)
    for user in (kept, doomed):
        for _ in range(2):
            await user.notify(Welcome(user.name, channels=("database",)))
        await session.commit()
        owner = PushRecipient.of(user)
        assert owner is not None
        await subscriptions.subscribe(
            owner,
            SubscriptionKeys(
                endpoint=f"https://push.example.com/send/{user.id}", p256dh="key", auth="secret"
            ),
        )
    return kept, doomed


@pytest.mark.parametrize(
    "deletion", [_session_delete, _force_delete, _bulk_delete, _bulk_delete_of_a_trashed_user]
)
async def test_deleting_a_user_deletes_its_notifications_and_push_subscriptions(
    session: AsyncSession, owners: tuple[User, User], deletion: Deletion
) -> None:
    kept, doomed = owners
    doomed_id = doomed.id
    assert await _owned(session, doomed_id) == (2, 1)

    await deletion(session, doomed)
    await session.commit()

    assert await _owned(session, doomed_id) == (0, 0)
    assert await _owned(session, kept.id) == (2, 1)
    newcomer: User = await UserFactory.new().create(session)
    await session.commit()
    assert (await session.scalars(newcomer.notifications())).all() == []
    assert await _owned(session, newcomer.id) == (0, 0)


async def test_a_rolled_back_delete_keeps_them(
    session: AsyncSession, owners: tuple[User, User]
) -> None:
    _, doomed = owners
    transaction = await session.begin_nested()
    await session.delete(doomed)
    await session.flush()
    await transaction.rollback()

    assert await _owned(session, doomed.id) == (2, 1)


async def test_a_soft_delete_keeps_them(session: AsyncSession, owners: tuple[User, User]) -> None:
    _, doomed = owners
    doomed.soft_delete()
    await session.commit()

    assert await _owned(session, doomed.id) == (2, 1)
    doomed.restore()
    await session.commit()
    assert len((await session.scalars(doomed.unread_notifications())).all()) == 2
