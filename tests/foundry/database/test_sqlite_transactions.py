"""SQLite transactions: reads run in autocommit, the transaction begins at the first write."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from foundry.config.database import DatabaseSettings
from foundry.database.engine import create_engine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(DatabaseSettings(), url=f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    yield engine
    await engine.dispose()


async def _count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM notes"))).scalar_one())


async def test_a_write_after_a_read_succeeds_when_another_connection_wrote_in_between(
    engine: AsyncEngine,
) -> None:
    async with engine.connect() as reader, engine.connect() as other:
        await reader.execute(text("SELECT count(*) FROM notes"))
        await other.execute(text("INSERT INTO notes (body) VALUES ('other')"))
        await other.commit()
        # A transaction that had begun with the read would fail here: "database is locked".
        await reader.execute(text("INSERT INTO notes (body) VALUES ('reader')"))
        await reader.commit()
    assert await _count(engine) == 2


async def test_a_rollback_undoes_every_write_of_the_transaction(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT count(*) FROM notes"))
        await connection.execute(text("INSERT INTO notes (body) VALUES ('one')"))
        await connection.execute(text("INSERT INTO notes (body) VALUES ('two')"))
        await connection.rollback()
    assert await _count(engine) == 0


async def test_a_savepoint_rolls_back_alone(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("INSERT INTO notes (body) VALUES ('kept')"))
        nested = await connection.begin_nested()
        await connection.execute(text("INSERT INTO notes (body) VALUES ('dropped')"))
        await nested.rollback()
        await connection.commit()
    assert await _count(engine) == 1


async def test_a_savepoint_first_still_opens_the_outer_transaction(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        nested = await connection.begin_nested()
        await connection.execute(text("INSERT INTO notes (body) VALUES ('inner')"))
        await nested.commit()
        await connection.rollback()
    assert await _count(engine) == 0
