from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database import (
    DatabaseManager,
    after_commit,
    current_session,
    defer_until_commit,
)
from foundry.kernel.application import Application
from foundry.kernel.container import Container
from tests.foundry.database.models import Author


@pytest.fixture
async def scope(app: Application, tables: DatabaseManager) -> AsyncIterator[Container]:
    async with app.container.scope() as scope:
        yield scope


async def _authors(manager: DatabaseManager) -> int:
    async with manager.session() as session:
        return await session.scalar(select(func.count()).select_from(Author)) or 0


async def test_held_until_commit_then_run(scope: Container) -> None:
    ran: list[str] = []
    session = scope.make(AsyncSession)
    session.add(Author(name="Ada"))
    assert defer_until_commit(lambda: ran.append("sync")) is True

    async def notify() -> None:
        ran.append("async")

    await after_commit(notify)
    assert ran == []
    await session.commit()
    assert ran == ["sync", "async"]
    await session.commit()  # already released: nothing runs twice
    assert ran == ["sync", "async"]


async def test_held_inside_begin_block_and_run_when_it_commits(
    scope: Container, tables: DatabaseManager
) -> None:
    ran: list[int] = []
    session = scope.make(AsyncSession)
    async with session.begin():
        await after_commit(lambda: ran.append(1))  # explicit begin: held even before any write
        session.add(Author(name="Ada"))
        assert ran == []
    assert ran == [1]
    assert await _authors(tables) == 1


async def test_dropped_on_rollback(scope: Container, tables: DatabaseManager) -> None:
    ran: list[str] = []
    session = scope.make(AsyncSession)
    session.add(Author(name="Ada"))
    await session.flush()
    assert defer_until_commit(lambda: ran.append("x"))
    await session.rollback()
    await session.commit()
    assert ran == []
    assert await _authors(tables) == 0


async def test_dropped_when_a_begin_block_fails(scope: Container, tables: DatabaseManager) -> None:
    ran: list[str] = []
    session = scope.make(AsyncSession)
    with pytest.raises(RuntimeError, match="boom"):
        async with session.begin():
            session.add(Author(name="Ada"))
            assert defer_until_commit(lambda: ran.append("x"))
            raise RuntimeError("boom")
    async with session.begin():
        session.add(Author(name="Grace"))
    assert ran == []
    assert await _authors(tables) == 1


async def test_dropped_when_the_scope_ends_without_commit(
    app: Application, tables: DatabaseManager
) -> None:
    ran: list[str] = []
    async with app.container.scope() as scope:
        scope.make(AsyncSession).add(Author(name="Ada"))
        assert defer_until_commit(lambda: ran.append("x"))
    assert ran == []
    assert await _authors(tables) == 0


async def test_savepoint_rollback_drops_only_its_own_callbacks(
    scope: Container, tables: DatabaseManager
) -> None:
    ran: list[str] = []
    session = scope.make(AsyncSession)
    async with session.begin():
        assert defer_until_commit(lambda: ran.append("outer"))
        with pytest.raises(RuntimeError):
            async with session.begin_nested():
                session.add(Author(name="Lost"))
                assert defer_until_commit(lambda: ran.append("rolled back"))
                raise RuntimeError("undo the savepoint")
        async with session.begin_nested():
            session.add(Author(name="Kept"))
            assert defer_until_commit(lambda: ran.append("released"))
        assert ran == []  # a released savepoint is not a commit
    assert ran == ["outer", "released"]
    assert await _authors(tables) == 1


async def test_released_savepoint_callbacks_go_when_the_outer_transaction_rolls_back(
    scope: Container,
) -> None:
    ran: list[str] = []
    session = scope.make(AsyncSession)
    with pytest.raises(RuntimeError):
        async with session.begin():
            async with session.begin_nested():
                session.add(Author(name="Ada"))
                assert defer_until_commit(lambda: ran.append("x"))
            raise RuntimeError("outer fails")
    assert ran == []


async def test_runs_now_outside_a_unit_of_work(app: Application, scope: Container) -> None:
    ran: list[str] = []
    assert defer_until_commit(lambda: ran.append("no session yet")) is False
    session = scope.make(AsyncSession)
    assert defer_until_commit(lambda: ran.append("fresh session")) is False
    # A transaction SQLAlchemy began only to read holds nothing: no one would commit it.
    await session.scalar(select(func.count()).select_from(Author))
    assert session.in_transaction()
    await after_commit(lambda: ran.append("after a read"))
    assert ran == ["after a read"]


async def test_runs_now_with_no_application_scope() -> None:
    ran: list[str] = []
    await after_commit(lambda: ran.append("x"))
    assert ran == ["x"]


async def test_a_failing_callback_raises_after_the_commit_and_the_others_still_run(
    scope: Container, tables: DatabaseManager
) -> None:
    ran: list[str] = []

    def explode() -> None:
        raise ValueError("listener failed")

    session = scope.make(AsyncSession)
    session.add(Author(name="Ada"))
    defer_until_commit(explode)
    defer_until_commit(lambda: ran.append("next"))
    with pytest.raises(ValueError, match="listener failed"):
        await session.commit()
    assert ran == ["next"]
    assert await _authors(tables) == 1  # the data was committed all the same


async def test_a_callback_may_use_the_session_again(
    scope: Container, tables: DatabaseManager
) -> None:
    session = scope.make(AsyncSession)

    async def write_audit_row() -> None:
        session.add(Author(name="written after commit"))
        await session.commit()

    session.add(Author(name="Ada"))
    defer_until_commit(write_audit_row)
    await session.commit()
    assert await _authors(tables) == 2


async def test_current_session_never_opens_one(app: Application) -> None:
    async with app.container.scope() as scope:
        assert current_session() is None
        session = scope.make(AsyncSession)
        assert current_session() is session
    assert current_session() is None
