"""The aiosqlite driver as Foundry's SQLite engines use it: fewer hand-offs to its thread.

aiosqlite runs every call of a connection on a thread of its own, so each call costs the event
loop a hand-off to that thread and back: the dearest part of a small query. Through
SQLAlchemy's adapter a ``SELECT`` takes four (open a cursor, execute, fetch the rows, close the
cursor) and closing a session that only read takes two more (rolling back its transaction, then
resetting the connection as it goes back to the pool). Here:

- a statement is one hand-off: the cursor is opened, executed, emptied and closed on the
  driver's thread in a single call, and SQLAlchemy's adapter reads the kept results (it fetches
  every row of a non-streaming cursor at once anyway; ``stream()`` keeps aiosqlite's own
  server-side cursor);
- ``rollback()`` and ``commit()`` are skipped when sqlite3 has no transaction open. Foundry's
  SQLite engines leave the driver in autocommit and send ``BEGIN`` only before the first write
  (see :mod:`.engine`), so after reads there is nothing to end, and sqlite3's own ``rollback()``
  would do nothing.

So a request that reads one row makes one hand-off instead of six. sqlite3's
``in_transaction`` flag is read on the event loop's thread while aiosqlite's thread is idle:
SQLAlchemy runs one call at a time on a connection and awaits each, and sqlite3 reads the flag
without its same-thread check. The module leans on ``aiosqlite.Connection._execute`` (run a
function on the connection's thread), the way SQLAlchemy's adapter leans on aiosqlite's queue;
both packages are pinned exactly.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NamedTuple, cast

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

__all__ = ["IdleAwareConnection", "OneTripCursor", "idle_aware_dbapi", "quiet_driver_log"]

#: aiosqlite logs every call it hands to its thread at DEBUG, bound values included (password
#: hashes, emails, tokens): with the root logger at DEBUG, every statement's values were written.
DRIVER_LOGGER = "aiosqlite"


class _Outcome(NamedTuple):
    description: Any
    rows: list[Any]
    rowcount: int
    lastrowid: int | None


def _execute_once(
    connection: sqlite3.Connection, operation: str, parameters: Any, many: bool
) -> _Outcome:
    """Runs on aiosqlite's thread: the whole life of one cursor."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        # rowcount of an ``INSERT ... RETURNING`` is final only once its rows are fetched.
        return _Outcome(description, rows, cursor.rowcount, cursor.lastrowid)
    finally:
        cursor.close()


class _PrefetchedCursor:
    """Stands in for aiosqlite's cursor under SQLAlchemy's adapter (its ``_cursor``).

    ``execute`` makes the one hand-off and keeps the outcome; every other call answers from it.
    """

    __slots__ = ("_driver", "arraysize", "description", "lastrowid", "rowcount", "rows")

    def __init__(self, driver: aiosqlite.Connection) -> None:
        self._driver = driver
        self.arraysize = 1
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.rows: list[Any] = []

    async def __aenter__(self) -> _PrefetchedCursor:
        return self

    async def execute(self, operation: str, parameters: Any = None) -> _PrefetchedCursor:
        """Execute ``operation`` and keep its description, rows, rowcount and last row id."""
        arguments = () if parameters is None else parameters
        self._keep(await self._run(operation, arguments, many=False))
        return self

    async def executemany(self, operation: str, parameters: Sequence[Any]) -> _PrefetchedCursor:
        """Execute ``operation`` once per parameter set, in one hand-off."""
        self._keep(await self._run(operation, parameters, many=True))
        return self

    async def fetchall(self) -> list[Any]:
        """The kept rows (handed over once)."""
        rows, self.rows = self.rows, []
        return rows

    def close(self) -> None:
        """Nothing to wait for: the driver's cursor was closed on its thread."""
        self.rows = []

    async def setinputsizes(self, *sizes: Any) -> None:
        """sqlite3 ignores input sizes."""

    async def _run(self, operation: str, parameters: Any, *, many: bool) -> _Outcome:
        driver = self._driver
        # aiosqlite leaves ``_execute`` unannotated: it returns what the function returns.
        run = cast(Callable[..., Awaitable[_Outcome]], driver._execute)
        return await run(_execute_once, driver._conn, operation, parameters, many)

    def _keep(self, outcome: _Outcome) -> None:
        self.description, self.rows, self.rowcount, self.lastrowid = outcome


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's aiosqlite cursor over :class:`_PrefetchedCursor`: a statement, one trip."""

    __slots__ = ()

    # Closing is synchronous: the adapter then neither awaits it nor soft-closes first.
    _awaitable_cursor_close = False

    def _make_new_cursor(self, connection: Any) -> Any:
        return _PrefetchedCursor(connection)


class IdleAwareConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection with one-trip cursors, skipping ``rollback`` and
    ``commit`` outside a transaction."""

    __slots__ = ()

    _cursor_cls = OneTripCursor

    def _idle(self) -> bool:
        driver = cast(aiosqlite.Connection, self._connection)
        # A closed connection is left to SQLAlchemy's own handling (it skips the call too).
        return driver._connection is not None and not driver.in_transaction

    def rollback(self) -> None:
        """Roll back, unless no transaction is open (then there is nothing to undo)."""
        if not self._idle():
            super().rollback()

    def commit(self) -> None:
        """Commit, unless no transaction is open (then there is nothing to save)."""
        if not self._idle():
            super().commit()


class _IdleAwareDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> IdleAwareConnection:
        # SQLAlchemy's connect opens the driver (and makes its thread a daemon); only the
        # adapter around it is swapped for ours.
        adapted = super().connect(*arg, **kw)
        return IdleAwareConnection(self, adapted._connection)


def idle_aware_dbapi() -> AsyncAdapt_aiosqlite_dbapi:
    """The DBAPI module to hand ``create_async_engine(module=...)`` for ``sqlite+aiosqlite``."""
    return _IdleAwareDBAPI(aiosqlite, sqlite3)


def quiet_driver_log() -> None:
    """Keep aiosqlite's per-call DEBUG lines (which carry bound values) out of the logs.

    Only a level nobody chose is raised to INFO: an application that sets the ``aiosqlite``
    logger's level itself keeps it (``DB_ECHO`` shows SQLAlchemy's own lines instead).
    """
    logger = logging.getLogger(DRIVER_LOGGER)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
