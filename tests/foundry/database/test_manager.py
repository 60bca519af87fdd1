from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from foundry.database import DatabaseManager, DatabaseUnavailableError
from foundry.database.engine import sqlite_file
from foundry.kernel.application import Application
from tests.conftest import MakeApplication
from tests.foundry.database.conftest import DATABASE_ONLY
from tests.foundry.database.models import Author


async def test_ping_answers_on_a_live_database(manager: DatabaseManager) -> None:
    await manager.ping()
    await manager.dispose()


async def test_ping_fails_fast_when_the_server_is_unreachable(
    make_application: MakeApplication,
) -> None:
    # Port 9 (discard) is closed here: the connection is refused at once.
    app = make_application(
        DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:9/nowhere",
        APP_PROVIDERS=DATABASE_ONLY,
    )
    manager = app.container.make(DatabaseManager)
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailableError):
        await manager.ping(timeout=2)
    assert time.monotonic() - started < 3


async def test_ping_times_out_instead_of_hanging(make_application: MakeApplication) -> None:
    # 10.255.255.1 is not routable: the connect attempt would hang without the timeout.
    app = make_application(
        DATABASE_URL="postgresql+asyncpg://postgres@10.255.255.1:5432/nowhere",
        APP_PROVIDERS=DATABASE_ONLY,
    )
    manager = app.container.make(DatabaseManager)
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailableError):
        await manager.ping(timeout=0.3)
    assert time.monotonic() - started < 2


async def test_sqlite_creates_its_directory_and_uses_wal(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    path = tmp_path / "nested" / "storage" / "app.sqlite"
    app = make_application(DATABASE_URL=f"sqlite:///{path}", APP_PROVIDERS=DATABASE_ONLY)
    manager = app.container.make(DatabaseManager)
    assert manager.url.startswith("sqlite+aiosqlite:///")
    async with manager.engine.connect() as connection:
        assert await connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert await connection.scalar(text("PRAGMA foreign_keys")) == 1
        assert await connection.scalar(text("PRAGMA busy_timeout")) == 5000
    assert path.is_file()
    assert sqlite_file(manager.url) == path


async def test_objects_stay_readable_after_commit(tables: DatabaseManager) -> None:
    async with tables.session() as session:
        author = Author(name="Grace")
        session.add(author)
        await session.commit()
    # expire_on_commit=False: reading after commit (and after close) needs no query.
    assert author.name == "Grace"
    assert author.id is not None


async def test_dispose_closes_the_pool_and_the_next_use_reconnects(
    tables: DatabaseManager,
) -> None:
    first = tables.engine
    await tables.dispose()
    assert tables.engine is not first
    async with tables.session() as session:
        assert await session.scalar(text("SELECT 1")) == 1


async def test_shutdown_disposes_the_engine(app: Application) -> None:
    manager = app.container.make(DatabaseManager)
    await manager.ping()
    pool = manager.engine.pool
    assert isinstance(pool, QueuePool)
    assert pool.checkedin() == 1
    await app.shutdown()
    assert pool.checkedin() == 0
