from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.pool import QueuePool

from foundry.database import DatabaseManager, DatabaseSession, current_session
from foundry.kernel.application import Application
from foundry.kernel.container import BindingResolutionError


def _checked_out(manager: DatabaseManager) -> int:
    pool = manager.engine.pool
    assert isinstance(pool, QueuePool)
    return pool.checkedout()


async def test_one_session_per_scope(app: Application) -> None:
    async with app.container.scope() as first_scope:
        first = first_scope.make(AsyncSession)
        assert first_scope.make(AsyncSession) is first
        assert isinstance(first, DatabaseSession)
        async with app.container.scope() as second_scope:
            assert second_scope.make(AsyncSession) is not first


async def test_the_session_is_closed_and_its_work_rolled_back_when_the_scope_ends(
    app: Application,
) -> None:
    manager = app.container.make(DatabaseManager)
    async with app.container.scope() as scope:
        session = scope.make(AsyncSession)
        await session.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY)"))
        await session.commit()
        await session.execute(text("INSERT INTO scratch (id) VALUES (1)"))
        assert session.in_transaction()
        assert _checked_out(manager) == 1
    assert not session.in_transaction()
    assert _checked_out(manager) == 0
    async with app.container.scope() as scope:
        count = await scope.make(AsyncSession).scalar(text("SELECT COUNT(*) FROM scratch"))
    assert count == 0


async def test_a_scope_that_never_asks_opens_no_session(app: Application) -> None:
    manager = app.container.make(DatabaseManager)
    async with app.container.scope():
        assert current_session() is None
    assert manager.connection is None
    assert _checked_out(manager) == 0


def test_the_manager_is_a_singleton_and_sessions_need_a_scope(app: Application) -> None:
    assert app.container.make(DatabaseManager) is app.container.make(DatabaseManager)
    with pytest.raises(BindingResolutionError, match="scoped"):
        app.container.make(AsyncSession)
