"""The registry cache: shared on Redis, invalidated across processes, never leaking uncommitted
changes, and reset by ``Permissions.forget_cached_permissions``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.kernel.application import Application
from foundry.permissions import Permission, PermissionRegistry, Role
from foundry.testing import count_queries
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User


async def test_a_change_in_one_process_reaches_the_other(
    make_application: MakeApplication, tmp_path: Path, redis_url: str, redis_prefix: str
) -> None:
    # Two applications stand for two worker processes: one database, one Redis.
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'shared.sqlite'}",
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
        "CACHE_STORE": "redis",
    }
    first, second = make_application(**env), make_application(**env)
    await migrate_database(env["DATABASE_URL"])
    async with first.container.scope() as scope:
        session = scope.make(AsyncSession)
        await Permission.create(session, name="articles.edit")
        await Role.create(session, name="editor")
        user = await UserFactory.new().create(session)
        await user.assign_role("editor", session=session)
        await session.commit()
        user_id = user.id

    async def can_edit(application: Application) -> bool:
        async with application.container.scope() as scope:
            session = scope.make(AsyncSession)
            found = await session.get(User, user_id)
            assert found is not None
            return (await found.load_permissions(session)).can("articles.edit")

    assert not await can_edit(first) and not await can_edit(second)

    # The second process's copy came from Redis: no table was read for it again.
    registry = second.container.make(PermissionRegistry)
    async with second.container.scope() as scope:
        session = scope.make(AsyncSession)
        with count_queries(session) as counter:
            await registry.snapshot(session)
        assert counter.count == 0

    async with first.container.scope() as scope:
        session = scope.make(AsyncSession)
        role = await Role.find_by_name(session, "editor")
        await role.give_permission_to("articles.edit", session=session)
        # Not committed yet: the other process must not see it.
        assert not await can_edit(second)
        await session.commit()

    assert await can_edit(second)


async def test_a_users_cached_links_are_shared_and_retired_across_processes(
    make_application: MakeApplication, tmp_path: Path, redis_url: str, redis_prefix: str
) -> None:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'links.sqlite'}",
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
        "CACHE_STORE": "redis",
    }
    first, second = make_application(**env), make_application(**env)
    await migrate_database(env["DATABASE_URL"])
    async with first.container.scope() as scope:
        session = scope.make(AsyncSession)
        await Role.create(session, name="editor")
        user = await UserFactory.new().create(session)
        await user.assign_role("editor", session=session)
        await session.commit()
        user_id = user.id

    async def roles(application: Application, *, queries: int | None = None) -> list[str]:
        async with application.container.scope() as scope:
            session = scope.make(AsyncSession)
            found = await session.get(User, user_id)
            assert found is not None
            with count_queries(session) as counter:
                await found.load_permissions(session)
            if queries is not None:
                assert counter.count == queries, counter.describe()
            return found.get_role_names()

    assert await roles(first) == ["editor"]  # cached in Redis by the first process
    assert await roles(second, queries=0) == ["editor"]  # read from Redis by the second

    async with first.container.scope() as scope:
        session = scope.make(AsyncSession)
        found = await session.get(User, user_id)
        assert found is not None
        await found.remove_role("editor", session=session)
        assert await roles(second, queries=0) == ["editor"]  # not committed: nothing changed
        await session.commit()

    assert await roles(second) == []
    assert await roles(first, queries=0) == []
