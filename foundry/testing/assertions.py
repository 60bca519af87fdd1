"""Database assertions for tests, after Laravel's ``assertDatabaseHas`` and friends.

Each takes the test's session or connection, then a table (its name, a model class, or a
model instance for the ``*_model_*``/soft-delete helpers), and reads the table directly (plain
Core queries, so global scopes such as soft deletes never hide a row)::

    await assert_database_has(session, "users", {"email": "ada@example.com"})
    await assert_database_missing(session, User, {"email": "eve@example.com"})
    await assert_database_count(db, "users", 1)
    await assert_soft_deleted(session, post)
    await assert_not_soft_deleted(session, Post, {"title": "Kept"})

A session is flushed first, so pending changes are seen. The query counter lives in
:mod:`foundry.testing.queries` and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, column, func, inspect, select, table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.expression import TableClause

from foundry.database.base import Base
from foundry.testing.queries import QueryCounter, QueryTarget, assert_query_count, count_queries

__all__ = [
    "QueryCounter",
    "QueryTarget",
    "assert_database_count",
    "assert_database_has",
    "assert_database_missing",
    "assert_model_exists",
    "assert_model_missing",
    "assert_not_soft_deleted",
    "assert_query_count",
    "assert_soft_deleted",
    "count_queries",
]

#: Where assertions read: the test's session (flushed first) or connection.
Database = AsyncSession | AsyncConnection
#: A table: its name, or a mapped class.
TableRef = str | type[Any]

_SHOWN_ROWS = 5


def _table(ref: TableRef, columns: list[str]) -> TableClause:
    if isinstance(ref, str):
        known = Base.metadata.tables.get(ref)
        # An unknown name (a test table on its own metadata) is read through a lightweight
        # table of just the columns the assertion needs.
        return known if known is not None else table(ref, *(column(name) for name in columns))
    found = getattr(ref, "__table__", None)
    if not isinstance(found, Table):
        raise TypeError(f"{ref!r} is neither a table name nor a mapped class")
    return found


def _where(target: TableClause, data: Mapping[str, Any]) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for name, value in data.items():
        if name not in target.c:
            raise AssertionError(f"table [{target.name}] has no column {name!r}")
        col = target.c[name]
        conditions.append(col.is_(None) if value is None else col == value)
    return conditions


async def _execute(db: Database, stmt: Select[Any]) -> list[dict[str, Any]]:
    if isinstance(db, AsyncSession):
        await db.flush()
    result = await db.execute(stmt)
    return [dict(row) for row in result.mappings()]


async def _count(db: Database, target: TableClause, conditions: list[ColumnElement[bool]]) -> int:
    rows = await _execute(
        db, select(func.count().label("n")).select_from(target).where(*conditions)
    )
    return int(rows[0]["n"])


async def _sample(db: Database, target: TableClause) -> str:
    if not len(target.c):
        return ""
    rows = await _execute(db, select(target).limit(_SHOWN_ROWS))
    if not rows:
        return "The table is empty."
    return "Found: " + ", ".join(repr(row) for row in rows)


async def assert_database_has(db: Database, ref: TableRef, data: Mapping[str, Any]) -> None:
    """Assert a row of ``ref`` has every value in ``data``."""
    target = _table(ref, list(data))
    if await _count(db, target, _where(target, data)) == 0:
        raise AssertionError(
            f"no row in [{target.name}] matches {dict(data)!r}. {await _sample(db, target)}"
        )


async def assert_database_missing(db: Database, ref: TableRef, data: Mapping[str, Any]) -> None:
    """Assert no row of ``ref`` has every value in ``data``."""
    target = _table(ref, list(data))
    found = await _count(db, target, _where(target, data))
    if found:
        raise AssertionError(f"{found} row(s) in [{target.name}] match {dict(data)!r}")


async def assert_database_count(db: Database, ref: TableRef, count: int) -> None:
    """Assert ``ref`` holds exactly ``count`` rows (soft-deleted ones included)."""
    target = _table(ref, [])
    actual = await _count(db, target, [])
    if actual != count:
        raise AssertionError(f"expected {count} rows in [{target.name}], found {actual}")


def _model_key(model: object) -> tuple[type[Any], dict[str, Any]]:
    state = inspect(model)
    key = state.identity
    if key is None:
        raise AssertionError(f"{model!r} has no primary key yet: add it and flush first")
    columns = state.mapper.primary_key
    return type(model), {col.key: value for col, value in zip(columns, key, strict=True)}


async def assert_model_exists(db: Database, model: object) -> None:
    """Assert the row of ``model`` (by primary key) is in the database."""
    cls, key = _model_key(model)
    await assert_database_has(db, cls, key)


async def assert_model_missing(db: Database, model: object) -> None:
    """Assert the row of ``model`` (by primary key) is gone."""
    cls, key = _model_key(model)
    await assert_database_missing(db, cls, key)


async def _soft_deleted_rows(
    db: Database,
    ref: TableRef | object,
    data: Mapping[str, Any] | None,
    deleted_at: str,
    trashed: bool,
) -> tuple[str, dict[str, Any], int]:
    if isinstance(ref, (str, type)):
        wanted = dict(data or {})
        target = _table(ref, [*wanted, deleted_at])
    else:
        cls, wanted = _model_key(ref)
        wanted.update(data or {})
        target = _table(cls, [])
    if deleted_at not in target.c:
        raise AssertionError(f"table [{target.name}] has no {deleted_at!r} column")
    marker = target.c[deleted_at]
    conditions = [*_where(target, wanted), marker.is_not(None) if trashed else marker.is_(None)]
    return target.name, wanted, await _count(db, target, conditions)


async def assert_soft_deleted(
    db: Database,
    ref: TableRef | object,
    data: Mapping[str, Any] | None = None,
    *,
    deleted_at: str = "deleted_at",
) -> None:
    """Assert a row matching ``data`` (or the row of a model instance) is soft deleted."""
    name, wanted, found = await _soft_deleted_rows(db, ref, data, deleted_at, trashed=True)
    if not found:
        raise AssertionError(f"no soft-deleted row in [{name}] matches {wanted!r}")


async def assert_not_soft_deleted(
    db: Database,
    ref: TableRef | object,
    data: Mapping[str, Any] | None = None,
    *,
    deleted_at: str = "deleted_at",
) -> None:
    """Assert a row matching ``data`` (or the row of a model instance) exists, not deleted."""
    name, wanted, found = await _soft_deleted_rows(db, ref, data, deleted_at, trashed=False)
    if not found:
        raise AssertionError(f"no row in [{name}] that is not soft deleted matches {wanted!r}")
