"""Cursor (keyset) pagination: ``await cursor_paginate(session, stmt, order_by=User.id, ...)``.

Offset pagination counts every row and skips ``offset`` of them on each page, which grows with
the table; a cursor page is one indexed range query of ``per_page + 1`` rows whatever its depth.
The price, as in Laravel: no total, no page numbers, and the ordering must be on NOT NULL
columns that are unique together (add the primary key last: ``order_by=[Post.created_at,
Post.id]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.types import TypeDecorator, TypeEngine
from starlette.datastructures import URL

from foundry.http.resources.cursor import Cursor, InvalidCursorError
from foundry.http.resources.pagination import check_page_size

__all__ = ["CursorPaginator", "OrderBy", "cursor_paginate"]

T = TypeVar("T")
OrderBy = QueryableAttribute[Any] | ColumnElement[Any]


@dataclass(frozen=True)
class _Key:
    column: ColumnElement[Any]
    name: str
    descending: bool

    @property
    def python_type(self) -> type[Any] | None:
        try:
            return self.column.type.python_type
        except NotImplementedError:
            return None

    @property
    def timezone_aware(self) -> bool:
        kind: TypeEngine[Any] = self.column.type
        if isinstance(kind, TypeDecorator):
            kind = kind.impl_instance
        return bool(getattr(kind, "timezone", False))


def _key(order: OrderBy) -> _Key:
    descending = False
    if isinstance(order, QueryableAttribute):
        return _Key(order.expression, order.key, False)
    column: Any = order
    if isinstance(order, UnaryExpression) and order.modifier in (
        operators.desc_op,
        operators.asc_op,
    ):
        descending = order.modifier is operators.desc_op
        column = order.element
    name = getattr(column, "key", None)
    if not isinstance(name, str):
        raise TypeError(f"cannot paginate by {order!r}: order by mapped columns")
    return _Key(column, name, descending)


def _beyond(keys: Sequence[_Key], values: Sequence[Any], forwards: bool) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the ordering (before it when not ``forwards``)."""
    clauses = []
    for index, key in enumerate(keys):
        ahead = forwards != key.descending
        step = key.column > values[index] if ahead else key.column < values[index]
        equal = [keys[i].column == values[i] for i in range(index)]
        clauses.append(and_(*equal, step))
    return or_(*clauses)


@dataclass(frozen=True)
class CursorPaginator(Generic[T]):
    """One cursor page: its items and the cursors of its neighbours (``None`` at the ends)."""

    items: Sequence[T]
    per_page: int
    next_cursor: str | None
    prev_cursor: str | None
    cursor_name: str = "cursor"

    def url(self, base: URL, cursor: str | None) -> str:
        """``base`` with the cursor parameter set (or removed), other parameters kept."""
        without = base.remove_query_params(self.cursor_name)
        if cursor is None:
            return str(without)
        return str(without.include_query_params(**{self.cursor_name: cursor}))

    def links(self, base: URL) -> dict[str, str | None]:
        """``first`` (no cursor), ``last`` (always ``None``: unknown), ``prev`` and ``next``."""
        return {
            "first": self.url(base, None),
            "last": None,
            "prev": self.url(base, self.prev_cursor) if self.prev_cursor else None,
            "next": self.url(base, self.next_cursor) if self.next_cursor else None,
        }

    def meta(self, base: URL) -> dict[str, Any]:
        """Laravel's cursor ``meta``: path, per_page, next_cursor, prev_cursor."""
        return {
            "path": str(base.replace(query="", fragment="")),
            "per_page": self.per_page,
            "next_cursor": self.next_cursor,
            "prev_cursor": self.prev_cursor,
        }


def _decode(token: str, keys: Sequence[_Key]) -> Cursor:
    cursor = Cursor.decode(token, [(key.name, key.python_type) for key in keys])
    for key in keys:
        value = cursor.keys[key.name]
        # A naive time for an aware column (or the reverse) would fail in the driver: a 500.
        if isinstance(value, datetime) and (value.tzinfo is not None) != key.timezone_aware:
            raise InvalidCursorError()
    return cursor


async def cursor_paginate(
    session: AsyncSession,
    stmt: Select[T],
    *,
    order_by: OrderBy | Sequence[OrderBy],
    cursor: str | None = None,
    per_page: int = 15,
    max_per_page: int | None = None,
    cursor_name: str = "cursor",
) -> CursorPaginator[T]:
    """One page of ``stmt`` (which selects one entity) ordered by ``order_by``.

    Args:
        order_by: a column or columns, each optionally ``.desc()``; replaces any ORDER BY of
            ``stmt``. Each must be readable on the results under its key (``User.id``).
        cursor: the ``next_cursor``/``prev_cursor`` of an earlier page; ``None`` for the first.
        per_page: page size, checked against ``max_per_page`` (422 on ``per_page``).
        cursor_name: the query parameter that carries the cursor, for the links.

    Raises:
        InvalidCursorError: 422 when ``cursor`` is malformed or was made for another ordering.
    """
    check_page_size(per_page, max_per_page)
    orders = [order_by] if isinstance(order_by, (QueryableAttribute, ColumnElement)) else order_by
    keys = [_key(order) for order in orders]
    current = _decode(cursor, keys) if cursor is not None else None
    forwards = current is None or current.points_to_next
    query = stmt.order_by(None).order_by(
        *(key.column.desc() if key.descending == forwards else key.column.asc() for key in keys)
    )
    if current is not None:
        query = query.where(_beyond(keys, [current.keys[k.name] for k in keys], forwards))
    rows = list((await session.scalars(query.limit(per_page + 1))).all())
    more = len(rows) > per_page
    items = rows[:per_page]
    if not forwards:
        items.reverse()  # fetched walking backwards; present in the ordering's direction

    def boundary(item: T, points_to_next: bool) -> str:
        values = {key.name: getattr(item, key.name) for key in keys}
        return Cursor(keys=values, points_to_next=points_to_next).encode()

    has_next = more if forwards else current is not None
    has_prev = current is not None if forwards else more
    return CursorPaginator(
        items=items,
        per_page=per_page,
        next_cursor=boundary(items[-1], True) if items and has_next else None,
        prev_cursor=boundary(items[0], False) if items and has_prev else None,
        cursor_name=cursor_name,
    )
