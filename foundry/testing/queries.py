"""Counting the SQL statements a block of code runs (Laravel's ``DB::getQueryLog()`` in tests).

::

    async with assert_query_count(2, session):
        await client.get("/api/v1/posts?include=author")   # one for posts, one for authors

    with count_queries(session) as counter:
        ...
    assert counter.count <= 3, counter.statements

Statements are counted on the connection (``before_cursor_execute``), so every session, Core
query and relationship load through it is seen. Transaction control (``BEGIN``, ``COMMIT``,
``ROLLBACK``, savepoints) is not counted: it depends on the test's transaction, not the code.
"""

from __future__ import annotations

import re
from types import TracebackType
from typing import Any, Self

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from foundry.database.manager import DatabaseManager

__all__ = ["QueryCounter", "QueryTarget", "assert_query_count", "count_queries"]

#: What a counter can watch: a session, a connection or engine (async or not), or the manager.
QueryTarget = AsyncSession | AsyncConnection | AsyncEngine | Connection | Engine | DatabaseManager

_TRANSACTION_CONTROL = re.compile(
    r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|END)\b", re.IGNORECASE
)


def _sync_target(target: QueryTarget) -> Connection | Engine:
    if isinstance(target, DatabaseManager):
        return _sync_target(target.connection or target.engine)
    if isinstance(target, AsyncSession):
        bind = target.bind
        if bind is None:
            raise ValueError("the session has no bind: count on its engine or connection")
        return _sync_target(bind)
    if isinstance(target, AsyncEngine):
        return target.sync_engine
    if isinstance(target, AsyncConnection):
        return target.sync_connection or target.sync_engine
    return target


class QueryCounter:
    """Counts statements on a connection or engine while active (``with`` or ``async with``)."""

    def __init__(self, target: QueryTarget) -> None:
        self._target = _sync_target(target)
        self.statements: list[str] = []
        self._listening = False

    @property
    def count(self) -> int:
        """How many statements ran while the counter was active."""
        return len(self.statements)

    def _record(
        self,
        conn: Connection,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        if not _TRANSACTION_CONTROL.match(statement):
            self.statements.append(statement)

    def start(self) -> Self:
        """Start counting (again, adding to what was counted before)."""
        if not self._listening:
            event.listen(self._target, "before_cursor_execute", self._record)
            self._listening = True
        return self

    def stop(self) -> None:
        """Stop counting; the statements stay readable."""
        if self._listening:
            event.remove(self._target, "before_cursor_execute", self._record)
            self._listening = False

    def describe(self) -> str:
        """The statements counted, numbered, for failure messages."""
        return "\n".join(f"  {i}. {sql.strip()}" for i, sql in enumerate(self.statements, 1))

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
        if exc_type is None:
            self.check()

    async def __aenter__(self) -> Self:
        return self.__enter__()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.__exit__(exc_type, exc, traceback)

    def check(self) -> None:
        """Called when the block ends without an error; a plain counter checks nothing."""


class _ExpectedCount(QueryCounter):
    def __init__(self, expected: int, target: QueryTarget) -> None:
        super().__init__(target)
        self.expected = expected

    def check(self) -> None:
        assert (
            self.count == self.expected
        ), f"expected {self.expected} queries, {self.count} ran:\n{self.describe()}"


def count_queries(target: QueryTarget) -> QueryCounter:
    """A counter for ``with``/``async with``; read ``.count`` and ``.statements`` after."""
    return QueryCounter(target)


def assert_query_count(expected: int, target: QueryTarget) -> QueryCounter:
    """A ``with``/``async with`` block that fails unless exactly ``expected`` statements ran."""
    return _ExpectedCount(expected, target)
