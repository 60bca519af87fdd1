"""Every wait on the database is bounded, and running out of time is a 503, not a 500 or a hang.

``DB_STATEMENT_TIMEOUT`` cancels a statement that runs too long on PostgreSQL (the connection
stays usable), ``DB_POOL_TIMEOUT`` bounds the wait for a pooled connection, and SQLite's
``DB_BUSY_TIMEOUT`` the wait for another writer's lock.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from foundry.config.database import DatabaseSettings
from foundry.database.engine import create_engine
from foundry.database.manager import DatabaseManager
from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.kernel.outages import outage_of
from foundry.testing import TestClient
from tests.conftest import MakeApplication
from tests.foundry.faults.conftest import LOW_TIMEOUTS, assert_unavailable, register


def settings(**env: str) -> DatabaseSettings:
    return DatabaseSettings.model_validate({**LOW_TIMEOUTS, **env})


async def test_a_statement_past_the_timeout_is_cancelled_and_the_connection_serves_on(
    postgres_url: str,
) -> None:
    engine = create_engine(settings(DATABASE_URL=postgres_url))
    try:
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError) as raised:
                await connection.execute(text("SELECT pg_sleep(5)"))
            assert outage_of(raised.value) == "database"
            await connection.rollback()
            assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1
    finally:
        await engine.dispose()


async def test_migrations_and_other_one_off_tools_are_not_cut_short(postgres_url: str) -> None:
    engine = create_engine(settings(DATABASE_URL=postgres_url), pooled=False)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT pg_sleep(1.5)"))
    finally:
        await engine.dispose()


async def test_no_free_pooled_connection_in_time_is_a_503(
    make_application: MakeApplication, sqlite_url: str
) -> None:
    application: Application = make_application(
        DATABASE_URL=sqlite_url, DB_POOL_SIZE="1", DB_MAX_OVERFLOW="0", **LOW_TIMEOUTS
    )
    engine = application.container.make(DatabaseManager).engine
    async with TestClient(create_app(application)) as client:
        async with engine.connect() as held:  # the pool's only connection
            await held.execute(text("SELECT 1"))
            assert_unavailable(await register(client))
        (await register(client)).assert_created()


async def test_a_write_lock_held_past_the_busy_timeout_is_a_503_on_sqlite(
    make_application: MakeApplication, sqlite_url: str, tmp_path: Path
) -> None:
    application = make_application(DATABASE_URL=sqlite_url, DB_BUSY_TIMEOUT="0.2")
    async with TestClient(create_app(application)) as client:
        writer = sqlite3.connect(tmp_path / "app.sqlite", isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")  # another process holding the write lock
            assert_unavailable(await register(client))
        finally:
            writer.execute("ROLLBACK")
            writer.close()
        (await register(client)).assert_created()
