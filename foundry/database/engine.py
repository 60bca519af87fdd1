"""Building async engines: SQLite tuned for an app server, PostgreSQL through asyncpg."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from foundry.config.database import DatabaseSettings
from foundry.database.error_details import hide_error_details
from foundry.database.sqlite_driver import idle_aware_dbapi, quiet_driver_log

__all__ = ["create_engine", "is_sqlite", "sqlite_file"]


def is_sqlite(url: str) -> bool:
    """Whether ``url`` points at SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file(url: str) -> Path | None:
    """The database file of an SQLite URL; ``None`` for in-memory databases and other servers."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def create_engine(
    settings: DatabaseSettings,
    *,
    url: str | None = None,
    pooled: bool = True,
    foreign_keys: bool = True,
) -> AsyncEngine:
    """An engine for ``url`` (default: ``settings.url``).

    SQLite gets its directory created, WAL journaling (readers never block the writer),
    enforced foreign keys, a busy timeout, and transactions that SQLAlchemy begins itself so
    ``SAVEPOINT`` and transactional DDL work. ``pooled=False`` opens a connection per use
    (one-off tools such as migrations, where a pool would only outlive the work).
    ``foreign_keys=False`` leaves SQLite's enforcement off: migrations rebuild tables by copy
    and drop, and an enforced ``ON DELETE CASCADE`` would empty the tables that point at them.
    """
    target = url or settings.url
    # Bound parameters (password hashes, emails, tokens) stay out of exception messages, and so
    # out of every log line a database error makes, unless DB_ECHO asks to see the SQL.
    options: dict[str, Any] = {"echo": settings.echo, "hide_parameters": not settings.echo}
    if not pooled:
        options["poolclass"] = NullPool
    if is_sqlite(target):
        path = sqlite_file(target)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if pooled:
                # A file database keeps a queue pool, sized like any other (a request holds
                # its connection until it ends); no pre-ping: a local file does not hang up.
                options.update(
                    pool_size=settings.pool_size,
                    max_overflow=settings.max_overflow,
                    pool_timeout=settings.pool_timeout,
                )
        if make_url(target).get_driver_name() == "aiosqlite":
            options["module"] = idle_aware_dbapi()
            if not settings.echo:
                quiet_driver_log()
        engine = create_async_engine(target, **options)
        _tune_sqlite(
            engine,
            busy_timeout_ms=int(settings.busy_timeout * 1000),
            wal=path is not None,
            foreign_keys=foreign_keys,
        )
        return engine
    if pooled:
        options.update(
            pool_size=settings.pool_size,
            max_overflow=settings.max_overflow,
            pool_timeout=settings.pool_timeout,
            pool_pre_ping=True,
        )
    if make_url(target).get_driver_name() == "asyncpg":
        options["connect_args"] = {"timeout": settings.connect_timeout}
    engine = create_async_engine(target, **options)
    if not settings.echo:
        hide_error_details(engine)
    return engine


def _tune_sqlite(
    engine: AsyncEngine, *, busy_timeout_ms: int, wal: bool, foreign_keys: bool
) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, connection_record: Any) -> None:
        # The sqlite3 driver's own transaction handling skips BEGIN before SELECT and
        # SAVEPOINT, which breaks savepoints; SQLAlchemy emits BEGIN instead (see on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if wal:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms:d}")
        finally:
            cursor.close()

    # BEGIN is held back until the first statement that is not a SELECT. Reads before it run
    # in autocommit, each on its own snapshot (what PostgreSQL's READ COMMITTED gives), and the
    # write transaction starts with a write, so SQLite's busy timeout applies to it: a deferred
    # transaction that read first fails at once with "database is locked" when another
    # connection committed in between. It also spares read-only requests three round trips to
    # aiosqlite's thread (cursor, BEGIN, close).
    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.info[_BEGIN_PENDING] = True

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _before_execute(
        connection: Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        if connection.info.get(_BEGIN_PENDING) and not _is_select(statement):
            connection.info[_BEGIN_PENDING] = False
            cursor.execute("BEGIN")

    @event.listens_for(sync_engine, "commit")
    @event.listens_for(sync_engine, "rollback")
    def _on_end(connection: Connection) -> None:
        connection.info.pop(_BEGIN_PENDING, None)


_BEGIN_PENDING = "foundry_sqlite_begin_pending"


def _is_select(statement: str) -> bool:
    return statement.lstrip()[:6].upper() == "SELECT"
