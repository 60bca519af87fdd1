"""Building async engines: SQLite tuned for an app server, PostgreSQL through asyncpg.

No request waits on the database without a bound. On PostgreSQL, connecting (handshake
included) is bounded by ``DB_CONNECT_TIMEOUT``, waiting for a pooled connection by
``DB_POOL_TIMEOUT``, and every statement of the application's engine by ``DB_STATEMENT_TIMEOUT``,
twice: the server cancels a statement that runs too long (``statement_timeout``), and asyncpg stops
waiting for a server that does not answer at all (``command_timeout``: a frozen or unreachable
server). A connection whose statement timed out on the client is thrown away at once, neither
pooled again (its next statement would first wait for the server to acknowledge the cancellation)
nor closed politely (which would wait on the silent server again). ``pool_pre_ping`` replaces
connections the server dropped, so requests succeed again as soon as the database is back,
without a restart. On SQLite, ``DB_BUSY_TIMEOUT`` bounds the wait for another writer's lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, ExceptionContext, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, NullPool

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
        # One-off tools (pooled=False: migrations) may run statements longer than a request's.
        statement_timeout = settings.statement_timeout if pooled else 0
        options["connect_args"] = _asyncpg_connect_args(settings.connect_timeout, statement_timeout)
    engine = create_async_engine(target, **options)
    if not settings.echo:
        hide_error_details(engine)
    event.listen(engine.sync_engine, "handle_error", _discard_timed_out_connection)
    if make_url(target).get_driver_name() == "asyncpg":
        event.listen(engine.sync_engine, "invalidate", _abort_timed_out_connection)
    return engine


def _asyncpg_connect_args(connect_timeout: float, statement_timeout: float) -> dict[str, Any]:
    args: dict[str, Any] = {"timeout": connect_timeout}
    if statement_timeout > 0:
        # The server's own cancellation is the clean one (the connection stays usable), so the
        # client's deadline comes a little later and only fires when the server cannot answer.
        args["command_timeout"] = statement_timeout + _CLIENT_GRACE
        # In milliseconds; a string, as the startup packet carries it.
        args["server_settings"] = {
            "statement_timeout": str(max(1, round(statement_timeout * 1000)))
        }
    return args


_CLIENT_GRACE = 0.5


def _abort_timed_out_connection(
    dbapi_connection: Any, connection_record: ConnectionPoolEntry, exception: BaseException | None
) -> None:
    """Drop the socket of a connection discarded after a timeout at once.

    SQLAlchemy closes an invalidated asyncpg connection politely first, waiting up to two
    seconds for a server that has just shown it does not answer; asyncpg's ``terminate()``
    closes it without a word.
    """
    if isinstance(exception, TimeoutError):
        driver = connection_record.driver_connection
        if driver is not None:
            driver.terminate()


def _discard_timed_out_connection(context: ExceptionContext) -> None:
    """Treat a client-side timeout or a broken socket as a lost connection.

    asyncpg raises a bare ``TimeoutError`` (or ``OSError``) that SQLAlchemy does not recognise as
    a disconnect, so the connection would go back to the pool with a cancellation pending that
    its next statement waits for. Marking it disconnected makes SQLAlchemy close it. A broken
    socket also retires the pool's other connections, which the same outage most likely broke;
    after a timeout they are left to ``pool_pre_ping``.
    """
    error = context.original_exception
    if isinstance(error, TimeoutError):
        context.is_disconnect = True
        context.invalidate_pool_on_disconnect = False
    elif isinstance(error, ConnectionError):
        context.is_disconnect = True


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
