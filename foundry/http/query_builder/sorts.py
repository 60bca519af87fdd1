"""Allowed sorts: ``?sort=-created_at,name`` (a leading ``-`` means descending).

Where NULLs go differs between databases (PostgreSQL puts them last ascending, SQLite first);
``AllowedSort.field("published_at").nulls_last()`` (or ``QueryBuilder.nulls_last()`` for every
sort) pins them with ``NULLS LAST`` / ``NULLS FIRST``, so both give the same order whichever way
the client sorts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

__all__ = ["AllowedSort", "NullsPosition", "SortFunction"]

#: ``(statement, descending, model) -> statement`` for sorts that are not a plain column.
SortFunction = Callable[[Select[Any], bool, type[Any]], Select[Any]]

#: Where rows with a NULL sort key go, in either direction; ``None``: the database's default.
NullsPosition = Literal["first", "last"]


@dataclass(frozen=True)
class AllowedSort:
    """One sort a client may use: a column (maybe under another name) or a function."""

    name: str
    column: str | None = None
    function: SortFunction | None = None
    nulls: NullsPosition | None = None

    @classmethod
    def field(
        cls, name: str, column: str | None = None, *, nulls: NullsPosition | None = None
    ) -> AllowedSort:
        """Sort by a column; ``name`` is what the client writes, ``column`` the attribute."""
        return cls(name, column or name, nulls=nulls)

    @classmethod
    def callback(cls, name: str, function: SortFunction) -> AllowedSort:
        """Sort with any logic, e.g. by a joined table's column."""
        return cls(name, function=function)

    def nulls_first(self) -> AllowedSort:
        """Rows whose column is NULL come first, ascending or descending."""
        return replace(self, nulls="first")

    def nulls_last(self) -> AllowedSort:
        """Rows whose column is NULL come last, ascending or descending."""
        return replace(self, nulls="last")

    def apply(
        self,
        statement: Select[Any],
        model: type[Any],
        descending: bool,
        nulls: NullsPosition | None = None,
    ) -> Select[Any]:
        """Add this sort's ORDER BY to ``statement``; ``nulls`` is the builder's default."""
        if self.function is not None:
            return self.function(statement, descending, model)
        attribute = getattr(model, self.column or self.name, None)
        if not isinstance(attribute, InstrumentedAttribute):
            raise LookupError(f"{model.__name__} has no column {self.column or self.name!r}")
        order = attribute.desc() if descending else attribute.asc()
        position = self.nulls or nulls
        if position == "first":
            order = order.nulls_first()
        elif position == "last":
            order = order.nulls_last()
        return statement.order_by(order)
