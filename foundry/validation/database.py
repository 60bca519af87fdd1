"""``unique`` and ``exists``: rules the database decides, with no model needed.

    "email": [unique("users", "email", ignore=user_id)],
    "role_id": [exists("roles", "id")],
    "tag_ids": [exists("tags", "id")],          # a list: every id must exist

Tables and columns are named as strings and queried through SQLAlchemy Core's ``table()`` and
``column()``, so a rule works for any table (``"schema.table"`` names a schema). The validator
asks about all database rules of one validation in a single ``SELECT`` (see
:mod:`foundry.validation.validator`).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Self

from sqlalchemy import ColumnElement, TableClause, column, distinct, func, literal, select, table

from foundry.validation.rule import DatabaseRule

__all__ = ["Exists", "Unique", "exists", "unique"]


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _is_scalar(value: object) -> bool:
    if isinstance(value, str):
        # PostgreSQL cannot hold NUL in text and errors on it; refuse it alike on every database.
        return "\x00" not in value
    if isinstance(value, int):
        # Beyond 64 bits no integer column can hold it, and the drivers raise on binding it.
        return _INT64_MIN <= value <= _INT64_MAX
    if isinstance(value, float | Decimal):
        return math.isfinite(value)
    return False


class _TableRule(DatabaseRule):
    """A rule about rows of ``table`` whose ``column`` holds the value, plus extra conditions."""

    def __init__(self, table_name: str, column_name: str | None) -> None:
        self.table_name = table_name
        self.column_name = column_name
        self._wheres: tuple[tuple[str, object], ...] = ()
        self._null_columns: tuple[str, ...] = ()

    def where(self, column_name: str, value: object) -> Self:
        """A copy that only counts rows whose ``column_name`` equals ``value``."""
        clone = copy.copy(self)
        clone._wheres = (*self._wheres, (column_name, value))
        return clone

    def without_trashed(self, column_name: str = "deleted_at") -> Self:
        """A copy that ignores soft-deleted rows (``column_name`` IS NULL)."""
        clone = copy.copy(self)
        clone._null_columns = (*self._null_columns, column_name)
        return clone

    def _table(self, attribute: str, *extra: str) -> TableClause:
        """The table with the columns this rule mentions; ``target`` is the value's column."""
        schema, _, name = self.table_name.rpartition(".")
        names = {self._target_name(attribute), *extra, *(n for n, _ in self._wheres)}
        names.update(self._null_columns)
        return table(name, *(column(n) for n in sorted(names)), schema=schema or None)

    def _filters(self, source: TableClause) -> list[ColumnElement[bool]]:
        filters = [source.c[name] == value for name, value in self._wheres]
        filters += [source.c[name].is_(None) for name in self._null_columns]
        return filters

    def _target_name(self, attribute: str) -> str:
        # Laravel's default column is the field's own name (its last path segment).
        return self.column_name or attribute.rsplit(".", 1)[-1]


class Unique(_TableRule):
    """No row of the table holds the value yet, apart from the one being updated."""

    key = "unique"
    template = "The :attribute has already been taken."

    def __init__(
        self,
        table_name: str,
        column_name: str | None = None,
        ignore: object = None,
        ignore_column: str = "id",
    ) -> None:
        super().__init__(table_name, column_name)
        self.ignore = ignore
        self.ignore_column = ignore_column

    def condition(self, attribute: str, value: object) -> ColumnElement[bool] | bool:
        if not _is_scalar(value):
            return False
        source = self._table(attribute, self.ignore_column)
        target = source.c[self._target_name(attribute)]
        taken = select(literal(1)).select_from(source).where(target == value)
        taken = taken.where(*self._filters(source))
        if self.ignore is not None:
            taken = taken.where(source.c[self.ignore_column] != self.ignore)
        return ~taken.exists()


class Exists(_TableRule):
    """A row of the table holds the value; for a list, every (distinct) item has a row."""

    key = "exists"
    template = "The selected :attribute is invalid."

    def condition(self, attribute: str, value: object) -> ColumnElement[bool] | bool:
        source = self._table(attribute)
        target = source.c[self._target_name(attribute)]
        if isinstance(value, Sequence) and not isinstance(value, str):
            items = list(value)
            if not all(_is_scalar(item) for item in items):
                return False
            distinct_items = set(items)
            if not distinct_items:
                return True
            found = (
                select(func.count(distinct(target)))
                .select_from(source)
                .where(target.in_(distinct_items), *self._filters(source))
                .scalar_subquery()
            )
            return found == len(distinct_items)
        if not _is_scalar(value):
            return False
        return (
            select(literal(1))
            .select_from(source)
            .where(target == value, *self._filters(source))
            .exists()
        )


def unique(
    table_name: str,
    column_name: str | None = None,
    ignore: object = None,
    ignore_column: str = "id",
) -> Unique:
    """The value is not in ``table_name.column_name`` (default column: the field's name).

    ``ignore`` skips the row whose ``ignore_column`` equals it: the record being updated. Its
    type must match the column (convert a path parameter with ``{id:int}`` in the route).
    """
    return Unique(table_name, column_name, ignore, ignore_column)


def exists(table_name: str, column_name: str | None = None) -> Exists:
    """The value is in ``table_name.column_name``; a list needs every item to be there."""
    return Exists(table_name, column_name)
