"""Page parameters from the query string: ``?page=2&per_page=15`` and ``?cursor=...``.

    Pages = page_params(max_per_page=50)

    @router.get("/users")
    async def index(request: Request, pages: Annotated[PageParams, Depends(Pages)], ...):
        users = await paginate(session, select(User).order_by(User.id), **pages.as_kwargs())

Bad values (not an integer, repeated, below 1, or a page size above the maximum) are a 422 in
Laravel's shape on the field concerned, never a 500.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from foundry.kernel.errors import ValidationError

__all__ = ["CursorParams", "PageParams", "cursor_params", "page_params"]

DEFAULT_PER_PAGE = 15
DEFAULT_MAX_PER_PAGE = 100


@dataclass(frozen=True)
class PageParams:
    """``page`` and ``per_page`` for :func:`~foundry.http.resources.pagination.paginate`."""

    page: int
    per_page: int

    def as_kwargs(self) -> dict[str, int]:
        """``{"page": ..., "per_page": ...}`` to spread into ``paginate``."""
        return {"page": self.page, "per_page": self.per_page}


@dataclass(frozen=True)
class CursorParams:
    """``cursor`` and ``per_page`` for :func:`~.cursor_pagination.cursor_paginate`."""

    cursor: str | None
    per_page: int

    def as_kwargs(self) -> dict[str, Any]:
        """``{"cursor": ..., "per_page": ...}`` to spread into ``cursor_paginate``."""
        return {"cursor": self.cursor, "per_page": self.per_page}


def _single(request: Request, name: str) -> str | None:
    values = request.query_params.getlist(name)
    if len(values) > 1:
        label = name.replace("_", " ")
        raise ValidationError({name: [f"The {label} field must be given only once."]})
    return values[0] if values else None


def _integer(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    raw = _single(request, name)
    if raw is None:
        return default
    label = name.replace("_", " ")
    # isdigit alone would accept "²" and int() would accept " 2" or "+2": digits only.
    text = raw.strip()
    if not text or not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 18:
        raise ValidationError({name: [f"The {label} field must be an integer."]})
    value = int(text)
    if value < 1:
        raise ValidationError({name: [f"The {label} field must be at least 1."]})
    if maximum is not None and value > maximum:
        raise ValidationError({name: [f"The {label} field must not be greater than {maximum}."]})
    return value


def _check_limits(default_per_page: int, max_per_page: int) -> None:
    if not 1 <= default_per_page <= max_per_page:
        raise ValueError(f"need 1 <= default_per_page ({default_per_page}) <= max_per_page")


def page_params(
    *,
    default_per_page: int = DEFAULT_PER_PAGE,
    max_per_page: int = DEFAULT_MAX_PER_PAGE,
    page_name: str = "page",
    per_page_name: str = "per_page",
) -> Callable[[Request], Awaitable[PageParams]]:
    """A FastAPI dependency reading ``page`` and ``per_page`` from the query string."""
    _check_limits(default_per_page, max_per_page)

    async def dependency(request: Request) -> PageParams:
        return PageParams(
            page=_integer(request, page_name, 1),
            per_page=_integer(request, per_page_name, default_per_page, max_per_page),
        )

    return dependency


def cursor_params(
    *,
    default_per_page: int = DEFAULT_PER_PAGE,
    max_per_page: int = DEFAULT_MAX_PER_PAGE,
    cursor_name: str = "cursor",
    per_page_name: str = "per_page",
) -> Callable[[Request], Awaitable[CursorParams]]:
    """A FastAPI dependency reading ``cursor`` and ``per_page`` from the query string.

    The cursor is checked when it is used (it is only valid for one ordering).
    """
    _check_limits(default_per_page, max_per_page)

    async def dependency(request: Request) -> CursorParams:
        return CursorParams(
            cursor=_single(request, cursor_name),
            per_page=_integer(request, per_page_name, default_per_page, max_per_page),
        )

    return dependency
