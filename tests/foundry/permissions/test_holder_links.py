"""A deleted user's role and permission links go with it, however it is deleted, and the next
user created (on SQLite it may get the same id) inherits nothing; a soft delete keeps them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.permissions import Permission, Role
from foundry.permissions.tables import model_has_permissions, model_has_roles
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

Deletion = Callable[[AsyncSession, User], Awaitable[None]]


async def _links(session: AsyncSession, user_id: int) -> tuple[int, int]:
    counts = []
    for table in (model_has_roles, model_has_permissions):
        count = await session.scalar(
            select(func.count()).select_from(table).where(table.c.model_id == user_id)
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


@pytest.fixture
async def holders(session: AsyncSession) -> tuple[User, User]:
    """Two users holding ``editor`` and ``articles.edit`` directly; the second was made last."""
    await Permission.create(session, name="articles.edit")
    await Role.create(session, name="editor")
    kept, doomed = await UserFactory.new().count(2).create_many(session)
    for user in (kept, doomed):
        await user.assign_role("editor", session=session)
        await user.give_permission_to("articles.edit", session=session)
    await session.commit()
    return kept, doomed


@pytest.mark.parametrize("deletion", [_session_delete, _force_delete, _bulk_delete])
async def test_deleting_a_user_deletes_its_links(
    session: AsyncSession, holders: tuple[User, User], deletion: Deletion
) -> None:
    kept, doomed = holders
    doomed_id = doomed.id
    assert await _links(session, doomed_id) == (1, 1)

    await deletion(session, doomed)
    await session.commit()

    assert await _links(session, doomed_id) == (0, 0)
    assert await _links(session, kept.id) == (1, 1)
    newcomer: User = await UserFactory.new().create(session)
    await session.commit()
    await newcomer.load_permissions(session)
    assert newcomer.get_role_names() == [] and newcomer.get_permission_names() == []


async def test_a_soft_delete_keeps_the_links(
    session: AsyncSession, holders: tuple[User, User]
) -> None:
    _, doomed = holders
    doomed.soft_delete()
    await session.commit()

    assert await _links(session, doomed.id) == (1, 1)
    doomed.restore()
    await session.commit()
    assert (await doomed.load_permissions(session)).has_role("editor")
