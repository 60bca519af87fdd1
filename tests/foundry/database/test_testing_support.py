from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database import DatabaseManager, defer_until_commit
from foundry.database.migrator import Migrator
from foundry.kernel.application import Application
from foundry.testing.database import database_transaction, migrate_database, refresh_database
from tests.foundry.database.models import Author, TestModel


async def _authors(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(Author)) or 0


async def test_everything_in_the_transaction_is_shared_then_rolled_back(
    app: Application, tables: DatabaseManager
) -> None:
    async with database_transaction(app) as connection:
        # A "request" commits through its scoped session...
        async with app.container.scope() as request:
            session = request.make(AsyncSession)
            session.add(Author(name="Ada"))
            await session.commit()
        # ...the next request sees the row, and so does the test's connection.
        async with app.container.scope() as request:
            assert await _authors(request.make(AsyncSession)) == 1
        assert await connection.scalar(text("SELECT COUNT(*) FROM dbtest_authors")) == 1
        # Uncommitted work of a request is still discarded when its scope ends.
        async with app.container.scope() as request:
            request.make(AsyncSession).add(Author(name="never committed"))
            await request.make(AsyncSession).flush()
        async with app.container.scope() as request:
            assert await _authors(request.make(AsyncSession)) == 1
    assert tables.connection is None
    async with tables.session() as session:
        assert await _authors(session) == 0


async def test_after_commit_callbacks_run_when_code_under_test_commits(
    app: Application, tables: DatabaseManager
) -> None:
    ran: list[str] = []
    async with database_transaction(tables):
        async with app.container.scope() as request:
            session = request.make(AsyncSession)
            session.add(Author(name="Ada"))
            assert defer_until_commit(lambda: ran.append("sent"))
            await session.commit()
            assert ran == ["sent"]


async def test_the_manager_is_released_even_when_the_test_fails(tables: DatabaseManager) -> None:
    with pytest.raises(AssertionError):
        async with database_transaction(tables):
            raise AssertionError("test failed")
    assert tables.connection is None
    async with database_transaction(tables):
        with pytest.raises(RuntimeError, match="already"):
            async with database_transaction(tables):
                pass


async def test_refresh_database_runs_the_real_migrations(app: Application, tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    manager = app.container.make(DatabaseManager)
    Migrator(
        manager.url, versions_path=versions, metadata=TestModel.metadata, format_files=False
    ).make("create blog tables", autogenerate=True)
    async with refresh_database(app, versions_path=versions):
        async with app.container.scope() as request:
            session = request.make(AsyncSession)
            session.add(Author(name="Ada"))
            await session.commit()
            assert await _authors(session) == 1
    assert await migrate_database(manager.url, versions_path=versions) == []
    async with manager.session() as session:
        assert await _authors(session) == 0
    await manager.dispose()


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in rows}


async def test_a_new_sqlite_file_gets_every_migration_each_time(tmp_path: Path) -> None:
    first = await migrate_database(_sqlite_url(tmp_path / "first.sqlite"))
    second = await migrate_database(_sqlite_url(tmp_path / "second.sqlite"))
    assert first == second and "f8b0d2e4a6c7" in first
    assert _tables(tmp_path / "first.sqlite") == _tables(tmp_path / "second.sqlite")
    assert {"users", "jobs", "alembic_version"} <= _tables(tmp_path / "second.sqlite")
    # Each file is a database of its own: what one test adds is not in the next test's.
    with sqlite3.connect(tmp_path / "first.sqlite") as connection:
        connection.execute("CREATE TABLE only_here (id INTEGER)")
    assert "only_here" not in _tables(tmp_path / "second.sqlite")


async def test_a_file_that_holds_data_is_migrated_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "kept.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('keep me')")
    await migrate_database(_sqlite_url(path))
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT body FROM notes").fetchall() == [("keep me",)]
    assert "users" in _tables(path)


async def test_a_migration_added_later_in_the_run_is_applied_to_new_files(
    app: Application, tmp_path: Path
) -> None:
    versions = tmp_path / "versions"
    migrator = Migrator(
        _sqlite_url(tmp_path / "drafting.sqlite"),
        versions_path=versions,
        metadata=TestModel.metadata,
        format_files=False,
    )
    migrator.make("create blog tables", autogenerate=True)
    before = await migrate_database(_sqlite_url(tmp_path / "a.sqlite"), versions_path=versions)
    migrator.make("add nothing yet")
    after = await migrate_database(_sqlite_url(tmp_path / "b.sqlite"), versions_path=versions)
    assert len(after) == len(before) + 1
    assert "dbtest_authors" in _tables(tmp_path / "b.sqlite")
