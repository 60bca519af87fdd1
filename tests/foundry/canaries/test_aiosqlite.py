"""Canaries: the aiosqlite and SQLAlchemy-adapter internals of ``foundry.database.sqlite_driver``.

The one-hand-off cursor runs a function on the connection's thread through
``aiosqlite.Connection._execute(fn, *args)`` handing it ``_conn`` (the ``sqlite3`` connection),
and reads ``_connection`` to see a closed one; it plugs into SQLAlchemy's aiosqlite adapter
through ``_cursor_cls``, ``_make_new_cursor`` and ``_awaitable_cursor_close``. Both packages are
pinned exactly; an upgrade that changes any of these fails here by name.
"""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import cast

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

from tests.foundry.canaries.signatures import called_in, parameters


async def test_aiosqlite_execute_runs_a_function_with_the_sqlite3_connection(
    tmp_path: Path,
) -> None:
    assert parameters(aiosqlite.Connection._execute) == ["fn", "args", "kwargs"]
    assert isinstance(inspect.getattr_static(aiosqlite.Connection, "_conn"), property)

    def on_the_thread(connection: sqlite3.Connection, value: int) -> list[tuple[int]]:
        assert isinstance(connection, sqlite3.Connection)
        return connection.execute("SELECT ?", (value,)).fetchall()

    async with aiosqlite.connect(tmp_path / "canary.sqlite") as driver:
        assert isinstance(driver._connection, sqlite3.Connection)
        # aiosqlite leaves _execute unannotated, as sqlite_driver notes.
        run = cast(Callable[..., Awaitable[list[tuple[int]]]], driver._execute)
        assert await run(on_the_thread, driver._conn, 7) == [(7,)]
        assert driver.in_transaction is False
    assert driver._connection is None  # closed: what IdleAwareConnection._idle checks


def test_sqlalchemy_aiosqlite_adapter_hooks_exist_and_are_used() -> None:
    assert inspect.getattr_static(AsyncAdapt_aiosqlite_connection, "_cursor_cls") is (
        AsyncAdapt_aiosqlite_cursor
    )
    assert called_in(AsyncAdapt_aiosqlite_connection, "_cursor_cls")
    assert parameters(AsyncAdapt_aiosqlite_cursor._make_new_cursor) == ["connection"]
    assert called_in(AsyncAdapt_aiosqlite_cursor, "_make_new_cursor")
    assert inspect.getattr_static(AsyncAdapt_aiosqlite_cursor, "_awaitable_cursor_close") is True
    assert parameters(AsyncAdapt_aiosqlite_dbapi.__init__) == ["aiosqlite", "sqlite"]
    assert parameters(AsyncAdapt_aiosqlite_connection.rollback) == []
    assert parameters(AsyncAdapt_aiosqlite_connection.commit) == []
    assert "_connection" in inspect.getsource(AsyncAdapt_aiosqlite_dbapi.connect)
