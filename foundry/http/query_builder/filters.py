"""Allowed filters: how ``?filter[name]=value`` narrows the query.

Kinds, as in spatie/laravel-query-builder: exact (comma lists mean "any of"), partial
(case-insensitive contains), begins_with_strict and ends_with_strict (case-sensitive prefix and
suffix; comma lists mean "any of"), belongs_to (the key of a many-to-one relationship, maybe
through others: ``post.author``), operator (``>``, ``>=``, ``<``, ``<=``, ``!=``, ``=``; fixed, or
dynamic with the operator leading the value: ``?filter[salary]=>3000``), scope (a function of the
statement and the value), callback, and trashed (``with``/``only`` soft-deleted rows).
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, func, or_
from sqlalchemy.orm import InstrumentedAttribute, RelationshipDirection, RelationshipProperty

from foundry.database.scopes import without_global_scopes
from foundry.database.soft_deletes import SOFT_DELETES_SCOPE
from foundry.kernel.errors import BadRequestError

__all__ = ["AllowedFilter", "FilterFunction"]

#: ``(statement, value, model) -> statement``: what scope and callback filters run.
FilterFunction = Callable[[Select[Any], str, type[Any]], Select[Any]]

_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": op.ge,
    "<=": op.le,
    "!=": op.ne,
    "<>": op.ne,
    ">": op.gt,
    "<": op.lt,
    "=": op.eq,
}


def _column(model: type[Any], name: str) -> InstrumentedAttribute[Any]:
    attribute = getattr(model, name, None)
    if not isinstance(attribute, InstrumentedAttribute):
        raise LookupError(f"{model.__name__} has no column {name!r}")
    return attribute


def _coerce(name: str, column: InstrumentedAttribute[Any] | ColumnElement[Any], raw: str) -> Any:
    """The raw query-string value as the column's Python type (drivers bind typed values)."""
    try:
        python_type = column.type.python_type
    except NotImplementedError:  # a column type that does not declare one: pass it through
        return raw
    if python_type is str:
        return raw
    try:
        if python_type is bool:
            lowered = raw.lower()
            if lowered not in ("1", "0", "true", "false"):
                raise ValueError(raw)
            return lowered in ("1", "true")
        if python_type in (datetime, date):
            return python_type.fromisoformat(raw)
        return python_type(raw)
    except (TypeError, ValueError):
        kind = getattr(python_type, "__name__", "value")
        raise BadRequestError(f"Filter `{name}` expects a valid {kind}, not `{raw}`.") from None


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _values(name: str, value: str) -> list[str]:
    values = [part for part in value.split(",") if part != ""]
    if not values:
        raise BadRequestError(f"Filter `{name}` needs a value.")
    return values


def _begins_with(column: Any, prefix: str) -> ColumnElement[bool]:
    # substr() and = compare exactly on every database; LIKE ignores case on SQLite (and
    # treats % and _ as wildcards), which "strict" must not.
    return func.substr(column, 1, len(prefix)) == prefix


def _ends_with(column: Any, suffix: str) -> ColumnElement[bool]:
    # The length guard keeps substr()'s start at 1 or later: SQLite reads a start below 1 as
    # counted from the end, PostgreSQL as before the beginning.
    return and_(
        func.length(column) >= len(suffix),
        func.substr(column, func.length(column) - len(suffix) + 1) == suffix,
    )


def _belongs_to(model: type[Any], path: str, name: str, value: str) -> ColumnElement[bool]:
    """``path``'s last relationship is many-to-one and its key is one of ``value``'s."""
    head, _, rest = path.partition(".")
    attribute = getattr(model, head, None)
    prop = getattr(attribute, "property", None)
    if not isinstance(prop, RelationshipProperty):
        raise LookupError(f"{model.__name__} has no relationship {head!r}")
    assert attribute is not None
    target = prop.mapper.class_
    if rest:
        through: ColumnElement[bool] = attribute.has(_belongs_to(target, rest, name, value))
        return through
    if prop.direction is not RelationshipDirection.MANYTOONE:
        raise LookupError(f"{model.__name__}.{head} is not a many-to-one (belongs to) relationship")
    (local, remote), *more = prop.local_remote_pairs
    if more:
        raise LookupError(f"{model.__name__}.{head} has a composite key; use a callback filter")
    keys = [_coerce(name, remote, part) for part in _values(name, value)]
    return local.in_(keys)


@dataclass(frozen=True)
class AllowedFilter:
    """One filter a client may use; build with the class methods."""

    name: str
    kind: str
    column: str | None = None
    function: FilterFunction | None = None
    fixed_operator: str | None = None
    default: str | None = None

    @classmethod
    def exact(cls, name: str, column: str | None = None) -> AllowedFilter:
        """``filter[status]=active`` or ``filter[id]=1,2,3`` (any of)."""
        return cls(name, "exact", column or name)

    @classmethod
    def partial(cls, name: str, column: str | None = None) -> AllowedFilter:
        """``filter[name]=jo`` matches "John" and "MAJOR" (case-insensitive contains)."""
        return cls(name, "partial", column or name)

    @classmethod
    def begins_with_strict(cls, name: str, column: str | None = None) -> AllowedFilter:
        """``filter[name]=Jo`` matches "John", not "john" or "MAJOR" (case-sensitive prefix);
        ``Jo,Ma`` matches either."""
        return cls(name, "begins_with_strict", column or name)

    @classmethod
    def ends_with_strict(cls, name: str, column: str | None = None) -> AllowedFilter:
        """``filter[email]=@example.com`` matches that suffix exactly, case included;
        a comma list matches any of them."""
        return cls(name, "ends_with_strict", column or name)

    @classmethod
    def belongs_to(cls, name: str, relationship: str | None = None) -> AllowedFilter:
        """``filter[author]=1,2``: rows whose many-to-one ``author`` has one of those keys.

        ``relationship`` may go through others (``"post.author"``: rows whose post's author is
        one of them); it defaults to ``name``.
        """
        return cls(name, "belongs_to", relationship or name)

    @classmethod
    def operator(
        cls, name: str, operator: str | None = None, column: str | None = None
    ) -> AllowedFilter:
        """A comparison: fixed (``operator=">"``) or, with none, led by the value (``>=10``)."""
        if operator is not None and operator not in _OPERATORS:
            raise ValueError(f"unknown operator {operator!r}; use one of {', '.join(_OPERATORS)}")
        return cls(name, "operator", column or name, fixed_operator=operator)

    @classmethod
    def scope(
        cls, name: str, function: FilterFunction | None = None, *, scope: str | None = None
    ) -> AllowedFilter:
        """Delegate to a function, or by default to the model's local scope ``scope_<name>``
        (``@scope``-marked), called as ``Model.scope_<name>(value, stmt=statement)``."""
        return cls(name, "scope", column=scope or name, function=function)

    @classmethod
    def callback(cls, name: str, function: FilterFunction) -> AllowedFilter:
        """Any logic: ``function(statement, value, model)`` returns the narrowed statement."""
        return cls(name, "callback", function=function)

    @classmethod
    def trashed(cls, name: str = "trashed") -> AllowedFilter:
        """``filter[trashed]=with`` includes soft-deleted rows, ``only`` shows just those."""
        return cls(name, "trashed", "deleted_at")

    def with_default(self, value: str) -> AllowedFilter:
        """Apply this filter with ``value`` when the client sends none."""
        return AllowedFilter(
            self.name, self.kind, self.column, self.function, self.fixed_operator, value
        )

    def apply(self, statement: Select[Any], model: type[Any], value: str) -> Select[Any]:
        """Narrow ``statement`` by ``value``; a value this filter cannot read is a 400."""
        if self.function is not None:
            return self.function(statement, value, model)
        assert self.column is not None
        if self.kind == "scope":
            return self._local_scope(statement, model, value)
        if self.kind == "belongs_to":
            return statement.where(_belongs_to(model, self.column, self.name, value))
        column = _column(model, self.column)
        if self.kind in ("begins_with_strict", "ends_with_strict"):
            matches = _begins_with if self.kind == "begins_with_strict" else _ends_with
            return statement.where(or_(*(matches(column, v) for v in _values(self.name, value))))
        if self.kind == "exact":
            values = [_coerce(self.name, column, part) for part in _values(self.name, value)]
            if len(values) > 1:
                return statement.where(column.in_(values))
            return statement.where(column == values[0])
        if self.kind == "partial":
            pattern = f"%{_escape_like(value.lower())}%"
            return statement.where(cast(column, String).ilike(pattern, escape="\\"))
        if self.kind == "operator":
            return statement.where(self._compare(column, value))
        return self._trashed(statement, column, value)

    def _local_scope(self, statement: Select[Any], model: type[Any], value: str) -> Select[Any]:
        scopes: dict[str, Callable[..., Select[Any]]] = (
            model.local_scopes() if hasattr(model, "local_scopes") else {}
        )
        found = scopes.get(self.column or self.name)
        if found is None:
            raise LookupError(f"{model.__name__} has no @scope method scope_{self.column}")
        return found(value, stmt=statement)

    def _compare(self, column: InstrumentedAttribute[Any], value: str) -> Any:
        symbol = self.fixed_operator
        if symbol is None:
            symbol = next((s for s in _OPERATORS if value.startswith(s)), "=")
            value = value[len(symbol) :] if value.startswith(symbol) else value
        if value == "":
            raise BadRequestError(f"Filter `{self.name}` needs a value after `{symbol}`.")
        return _OPERATORS[symbol](column, _coerce(self.name, column, value))

    def _trashed(
        self, statement: Select[Any], column: InstrumentedAttribute[Any], value: str
    ) -> Select[Any]:
        # This filter decides alone, whether or not the model hides trashed rows by default.
        statement = without_global_scopes(statement, SOFT_DELETES_SCOPE)
        if value == "with":
            return statement
        if value == "only":
            return statement.where(column.is_not(None))
        if value in ("", "without"):
            return statement.where(column.is_(None))
        raise BadRequestError(
            f"Filter `{self.name}` accepts `with`, `only` or `without`, not `{value}`."
        )
