"""Database errors carry no row values: PostgreSQL's ``DETAIL`` is dropped from driver errors.

``hide_parameters`` keeps bound values out of SQLAlchemy's messages, but PostgreSQL repeats them
itself: a check or not-null violation says ``DETAIL: Failing row contains (1, Ada,
ada@example.com, $argon2id$...)``, a unique violation ``Key (email)=(ada@example.com) already
exists``. asyncpg keeps that text on the exception and prints it with it, so every traceback of
a failed statement (a 500's log line, a failed job's record) showed the row. The error's class,
SQLSTATE, constraint, table and column names stay: they are what code and operators act on.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = ["hide_error_details"]


def _drop_details(error: BaseException | None) -> None:
    from asyncpg import PostgresError

    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, PostgresError):
            # Read by PostgresError.__str__, which every traceback of the error prints.
            error.detail = None
        error = error.__cause__ or error.__context__


def hide_error_details(engine: AsyncEngine) -> None:
    """Strip the row values PostgreSQL puts in an error's ``DETAIL``, on every error of ``engine``."""

    @event.listens_for(engine.sync_engine, "handle_error")
    def _on_error(context: ExceptionContext) -> Any:
        _drop_details(context.original_exception)
        return None
