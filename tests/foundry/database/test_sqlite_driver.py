"""The SQLite driver: one hand-off to aiosqlite's thread per statement, none for no-op endings."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import Integer, String, insert, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from foundry.config.database import DatabaseSettings
from foundry.database.engine import create_engine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(DatabaseSettings(), url=f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}")
    async with engine.begin() as connection:
        await connection.execute(
            text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)")
        )
    yield engine
    await engine.dispose()


@pytest.fixture
def hand_offs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every function aiosqlite runs on its thread, in order."""
    calls: list[str] = []
    original: Callable[..., Any] = aiosqlite.Connection._execute

    async def counting(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counting)
    return calls


async def test_a_read_only_session_hands_off_once_per_statement(
    engine: AsyncEngine, hand_offs: list[str]
) -> None:
    async with engine.connect() as warm:  # the pool's first connection is opened here
        await warm.execute(text("SELECT 1"))
    hand_offs.clear()

    async with AsyncSession(engine) as session:
        assert (await session.execute(text("SELECT count(*) FROM notes"))).scalar_one() == 0
        await session.execute(text("SELECT 1"))

    # Two statements, and nothing to roll back when the session and its connection close.
    assert hand_offs == ["_execute_once", "_execute_once"]


async def test_writes_are_committed_and_rolled_back_as_before(engine: AsyncEngine) -> None:
    async with AsyncSession(engine) as session:
        await session.execute(text("INSERT INTO notes (body) VALUES ('kept')"))
        await session.commit()
        await session.execute(text("INSERT INTO notes (body) VALUES ('undone')"))
        await session.rollback()
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT body FROM notes"))).scalars().all()
    assert rows == ["kept"]


async def test_rows_rowcount_and_returning_come_back_whole(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO notes (body) VALUES (:body)"),
            [{"body": "a"}, {"body": "b"}, {"body": "c"}],
        )
        returned = await connection.execute(
            text("INSERT INTO notes (body) VALUES ('d') RETURNING id, body")
        )
        assert returned.all() == [(4, "d")]
        updated = await connection.execute(text("UPDATE notes SET body = body || '!'"))
        assert updated.rowcount == 4
        rows = await connection.execute(text("SELECT id, body FROM notes ORDER BY id"))
        assert [tuple(row) for row in rows] == [(1, "a!"), (2, "b!"), (3, "c!"), (4, "d!")]


async def test_an_insert_reports_its_primary_key(engine: AsyncEngine) -> None:
    from sqlalchemy import Column, MetaData, Table

    notes = Table(
        "notes", MetaData(), Column("id", Integer, primary_key=True), Column("body", String)
    )
    async with engine.begin() as connection:
        result = await connection.execute(insert(notes).values(body="first"))
        assert result.inserted_primary_key == (1,)


async def test_streaming_keeps_a_server_side_cursor(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        for body in ("x", "y", "z"):
            await connection.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": body})
    async with engine.connect() as connection:
        streamed = await connection.stream(text("SELECT body FROM notes ORDER BY id"))
        assert [row[0] async for row in streamed] == ["x", "y", "z"]


async def test_driver_errors_surface_as_sqlalchemy_errors(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        with pytest.raises(OperationalError):
            await connection.execute(text("SELECT * FROM no_such_table"))
        await connection.rollback()
        await connection.execute(text("INSERT INTO notes (body) VALUES ('same')"))
        with pytest.raises(IntegrityError):
            await connection.execute(text("INSERT INTO notes (body) VALUES ('same')"))
