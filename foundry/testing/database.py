"""Test databases: migrate a database, and wrap a test in a transaction that is rolled back.

Laravel's ``RefreshDatabase`` in two parts. :func:`migrate_database` builds the schema by running
the real migrations (the framework's and the running application's ``DB_MIGRATIONS_PATH``), so
tests exercise them too. :func:`database_transaction` opens one
connection, begins a transaction on it, and makes the application's ``DatabaseManager`` hand
out sessions that join it through savepoints: services may commit, HTTP requests made in the
test see the test's rows, and at the end everything is rolled back::

    async with refresh_database(app) as connection:
        ...  # seed, call services, drive the HTTP API

Requests in one test share the connection, so send them one after another, not with
``asyncio.gather``. On SQLite, work done outside the sessions (a second engine, a raw
connection) waits for the test's write lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncConnection

from foundry.config.database import DatabaseSettings
from foundry.database.manager import DatabaseManager
from foundry.database.migrator import Migrator
from foundry.kernel.application import Application
from foundry.testing.migration_cache import (
    at_head,
    empty_sqlite_file,
    migrate_sqlite_file,
    migrations_key,
    remember_head,
)

__all__ = ["database_transaction", "migrate_database", "refresh_database"]


async def migrate_database(
    url: str, *, versions_path: Path | None = None, settings: DatabaseSettings | None = None
) -> list[str]:
    """Apply every migration to the database at ``url``; returns the revisions applied.

    Runs on a worker thread, as alembic's API is synchronous. Migrations run once per process
    (see :mod:`foundry.testing.migration_cache`): a new (missing or empty) SQLite file is
    filled with a copy of a database these migrations built earlier, and a database already at
    their head is left alone after one query.
    """
    return await asyncio.to_thread(_migrate, url, versions_path, settings)


def _migrate(url: str, versions_path: Path | None, settings: DatabaseSettings | None) -> list[str]:
    migrator = Migrator(url, versions_path=versions_path, settings=settings)
    key = migrations_key(migrator.version_locations, migrator.settings)

    def migrate(database_url: str) -> list[str]:
        fresh = Migrator(database_url, versions_path=versions_path, settings=settings)
        applied = fresh.upgrade()
        remember_head(key, fresh.current())
        return applied

    target = empty_sqlite_file(url)
    if target is not None:
        return migrate_sqlite_file(target, url, key, migrate)
    if at_head(key, migrator.current):
        return []
    return migrate(url)


def _manager(target: Application | DatabaseManager) -> DatabaseManager:
    if isinstance(target, DatabaseManager):
        return target
    return target.container.make(DatabaseManager)


@asynccontextmanager
async def database_transaction(
    target: Application | DatabaseManager,
) -> AsyncIterator[AsyncConnection]:
    """Share one connection with every session of ``target`` and roll it all back at the end.

    Yields the connection, for assertions that should see the test's data. The manager goes
    back to its engine afterwards, even if the test failed.
    """
    manager = _manager(target)
    if manager.connection is not None:
        raise RuntimeError("this DatabaseManager is already inside a test transaction")
    async with manager.engine.connect() as connection:
        transaction = await connection.begin()
        manager.use_connection(connection)
        try:
            yield connection
        finally:
            manager.use_connection(None)
            if transaction.is_active:
                await transaction.rollback()


@asynccontextmanager
async def refresh_database(
    app: Application, *, versions_path: Path | None = None
) -> AsyncIterator[AsyncConnection]:
    """Migrate the app's database, then run the block inside :func:`database_transaction`."""
    manager = _manager(app)
    await migrate_database(manager.url, versions_path=versions_path, settings=manager.settings)
    async with database_transaction(manager) as connection:
        yield connection
