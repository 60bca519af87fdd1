"""Offset pagination: ``await paginate(session, stmt, page=2, per_page=15)``.

Two queries, whatever the page: one ``COUNT`` over the statement as a subquery (its ORDER BY
dropped, which only costs time there) and one for the page itself. The result,
:class:`LengthAwarePaginator`, knows nothing about URLs; a :class:`ResourceCollection` builds
Laravel's ``links`` and ``meta`` from the request when it renders it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import URL

from foundry.kernel.errors import ValidationError

__all__ = ["LengthAwarePaginator", "check_page_size", "paginate"]

T = TypeVar("T")


def check_page_size(per_page: int, max_per_page: int | None = None) -> None:
    """Raise a 422 (field ``per_page``) unless ``1 <= per_page <= max_per_page``."""
    if per_page < 1:
        raise ValidationError({"per_page": ["The per page field must be at least 1."]})
    if max_per_page is not None and per_page > max_per_page:
        message = f"The per page field must not be greater than {max_per_page}."
        raise ValidationError({"per_page": [message]})


@dataclass(frozen=True)
class LengthAwarePaginator(Generic[T]):
    """One page of results and the total count (Laravel's ``LengthAwarePaginator``)."""

    items: Sequence[T]
    total: int
    per_page: int
    current_page: int

    @property
    def last_page(self) -> int:
        """The number of the last page (1 when there are no results, like Laravel)."""
        return max((self.total + self.per_page - 1) // self.per_page, 1)

    @property
    def first_item(self) -> int | None:
        """The 1-based position of this page's first item (``meta.from``), ``None`` if empty."""
        return (self.current_page - 1) * self.per_page + 1 if self.items else None

    @property
    def last_item(self) -> int | None:
        """The 1-based position of this page's last item (``meta.to``), ``None`` if empty."""
        first = self.first_item
        return None if first is None else first + len(self.items) - 1

    @property
    def has_more_pages(self) -> bool:
        """Whether a page follows this one."""
        return self.current_page < self.last_page

    def url(self, base: URL, page: int) -> str:
        """``base`` with ``page`` set, keeping its other query parameters."""
        return str(base.include_query_params(page=page))

    def links(self, base: URL) -> dict[str, str | None]:
        """Laravel's ``links``: absolute ``first``, ``last``, ``prev`` and ``next`` URLs."""
        return {
            "first": self.url(base, 1),
            "last": self.url(base, self.last_page),
            "prev": self.url(base, self.current_page - 1) if self.current_page > 1 else None,
            "next": self.url(base, self.current_page + 1) if self.has_more_pages else None,
        }

    def meta(self, base: URL) -> dict[str, Any]:
        """Laravel's ``meta``: current_page, from, last_page, path, per_page, to, total."""
        return {
            "current_page": self.current_page,
            "from": self.first_item,
            "last_page": self.last_page,
            "path": str(base.replace(query="", fragment="")),
            "per_page": self.per_page,
            "to": self.last_item,
            "total": self.total,
        }


async def paginate(
    session: AsyncSession,
    stmt: Select[T],
    *,
    page: int = 1,
    per_page: int = 15,
    max_per_page: int | None = None,
) -> LengthAwarePaginator[T]:
    """Run ``stmt`` for one page and count all its rows.

    ``stmt`` selects one entity or column (``select(User).order_by(User.id)``); give it an
    ORDER BY, or pages may overlap. A page past the end is empty, not an error. ``page < 1`` or a
    page size outside ``1..max_per_page`` is a 422 in Laravel's shape.
    """
    if page < 1:
        raise ValidationError({"page": ["The page field must be at least 1."]})
    check_page_size(per_page, max_per_page)
    counted = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = int((await session.execute(counted)).scalar_one())
    items: Sequence[T] = []
    if total > (page - 1) * per_page:
        rows = await session.scalars(stmt.limit(per_page).offset((page - 1) * per_page))
        items = rows.all()
    return LengthAwarePaginator(items=items, total=total, per_page=per_page, current_page=page)
