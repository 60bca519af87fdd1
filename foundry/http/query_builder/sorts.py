"""Allowed sorts: ``?sort=-created_at,name`` (a leading ``-`` means descending)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

__all__ = ["AllowedSort", "SortFunction"]

#: ``(statement, descending, model) -> statement`` for sorts that are not a plain column.
SortFunction = Callable[[Select[Any], bool, type[Any]], Select[Any]]


@dataclass(frozen=True)
class AllowedSort:
    """One sort a client may use: a column (maybe under another name) or a function."""

    name: str
    column: str | None = None
    function: SortFunction | None = None

    @classmethod
    def field(cls, name: str, column: str | None = None) -> AllowedSort:
        """Sort by a column; ``name`` is what the client writes, ``column`` the attribute."""
        return cls(name, column or name)

    @classmethod
    def callback(cls, name: str, function: SortFunction) -> AllowedSort:
        """Sort with any logic, e.g. by a joined table's column."""
        return cls(name, function=function)

    def apply(self, statement: Select[Any], model: type[Any], descending: bool) -> Select[Any]:
        """Add this sort's ORDER BY to ``statement``."""
        if self.function is not None:
            return self.function(statement, descending, model)
        attribute = getattr(model, self.column or self.name, None)
        if not isinstance(attribute, InstrumentedAttribute):
            raise LookupError(f"{model.__name__} has no column {self.column or self.name!r}")
        return statement.order_by(attribute.desc() if descending else attribute.asc())
