"""Cutting a collection up or adding to its ends: take, skip, chunk, sliding, push, pop, ..."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from foundry.collections.base import BaseCollection
from foundry.collections.errors import ItemNotFoundError

if TYPE_CHECKING:
    from foundry.collections.collection import Collection

__all__ = ["SlicingMethods"]

T_co = TypeVar("T_co", covariant=True)
U = TypeVar("U")


class SlicingMethods(BaseCollection[T_co]):
    """Methods that return runs of consecutive items, or the items with some added or removed."""

    __slots__ = ()

    def take(self, limit: int) -> Collection[T_co]:
        """The first ``limit`` items; a negative ``limit`` takes from the end."""
        return self._new(self._items[limit:] if limit < 0 else self._items[:limit])

    def take_while(self, predicate: Callable[[T_co], object]) -> Collection[T_co]:
        """The leading items passing ``predicate``, up to the first that fails."""
        return self._new(self._items[: self._run(predicate, expected=True)])

    def take_until(self, predicate: Callable[[T_co], object]) -> Collection[T_co]:
        """The leading items up to (not including) the first passing ``predicate``."""
        return self._new(self._items[: self._run(predicate, expected=False)])

    def skip(self, count: int) -> Collection[T_co]:
        """All but the first ``count`` items."""
        return self._new(self._items[max(count, 0) :])

    def skip_while(self, predicate: Callable[[T_co], object]) -> Collection[T_co]:
        """The items from the first one failing ``predicate`` on."""
        return self._new(self._items[self._run(predicate, expected=True) :])

    def skip_until(self, predicate: Callable[[T_co], object]) -> Collection[T_co]:
        """The items from the first one passing ``predicate`` on."""
        return self._new(self._items[self._run(predicate, expected=False) :])

    def _run(self, predicate: Callable[[T_co], object], *, expected: bool) -> int:
        # Length of the leading run whose truthiness under ``predicate`` equals ``expected``.
        for index, item in enumerate(self._items):
            if bool(predicate(item)) is not expected:
                return index
        return len(self._items)

    def slice(self, offset: int, length: int | None = None) -> Collection[T_co]:
        """``length`` items (all if None) from ``offset``; a negative offset counts from the end."""
        start = offset if offset >= 0 else max(len(self._items) + offset, 0)
        end = None if length is None else start + max(length, 0)
        return self._new(self._items[start:end])

    def for_page(self, page: int, per_page: int) -> Collection[T_co]:
        """The items of 1-based ``page`` when split into pages of ``per_page``."""
        if page < 1 or per_page < 1:
            raise ValueError("for_page() needs page >= 1 and per_page >= 1")
        start = (page - 1) * per_page
        return self._new(self._items[start : start + per_page])

    def chunk(self, size: int) -> Collection[Collection[T_co]]:
        """Consecutive chunks of ``size`` items (the last may be shorter)."""
        if size < 1:
            raise ValueError("chunk() needs a size of at least 1")
        items = self._items
        return self._new(self._new(items[i : i + size]) for i in range(0, len(items), size))

    def chunk_while(
        self, predicate: Callable[[T_co, Collection[T_co]], object]
    ) -> Collection[Collection[T_co]]:
        """Chunks of consecutive items; an item joins the current chunk while
        ``predicate(item, chunk)`` is true, otherwise it starts a new one."""
        chunks: list[list[T_co]] = []
        for item in self._items:
            if chunks and predicate(item, self._new(chunks[-1])):
                chunks[-1].append(item)
            else:
                chunks.append([item])
        return self._new(self._new(chunk) for chunk in chunks)

    def sliding(self, size: int = 2, step: int = 1) -> Collection[Collection[T_co]]:
        """Overlapping windows of ``size`` items, moving ``step`` items at a time."""
        if size < 1 or step < 1:
            raise ValueError("sliding() needs size >= 1 and step >= 1")
        items = self._items
        starts = range(0, len(items) - size + 1, step)
        return self._new(self._new(items[i : i + size]) for i in starts)

    def split(self, groups: int) -> Collection[Collection[T_co]]:
        """The items spread over ``groups`` groups as evenly as possible, earlier groups larger.

        Fewer groups come back when there are fewer items than groups.
        """
        if groups < 1:
            raise ValueError("split() needs at least 1 group")
        base, extra = divmod(len(self._items), groups)
        out: list[Collection[T_co]] = []
        start = 0
        for index in range(groups):
            size = base + (1 if index < extra else 0)
            if size:
                out.append(self._new(self._items[start : start + size]))
            start += size
        return self._new(out)

    def split_in(self, size: int) -> Collection[Collection[T_co]]:
        """The items in groups of at most ``size``, as few groups as possible (``chunk``)."""
        return self.split(math.ceil(len(self._items) / size)) if self._items else self._new([])

    def pad(self, size: int, value: U) -> Collection[T_co | U]:
        """Padded with ``value`` to ``abs(size)`` items; a negative ``size`` pads on the left."""
        missing = max(abs(size) - len(self._items), 0)
        padding = (value,) * missing
        return self._new((*padding, *self._items) if size < 0 else (*self._items, *padding))

    def push(self, *items: U) -> Collection[T_co | U]:
        """A new collection with ``items`` added at the end."""
        return self._new((*self._items, *items))

    def prepend(self, *items: U) -> Collection[T_co | U]:
        """A new collection with ``items`` added at the start."""
        return self._new((*items, *self._items))

    def merge(self, *others: Iterable[U]) -> Collection[T_co | U]:
        """A new collection with the values of ``others`` appended (Laravel's merge/concat)."""
        return self._new((*self._items, *(value for other in others for value in other)))

    def pop(self) -> tuple[T_co, Collection[T_co]]:
        """The last item and a collection of the rest; raises ItemNotFoundError when empty."""
        if not self._items:
            raise ItemNotFoundError("pop() on an empty collection")
        return self._items[-1], self._new(self._items[:-1])

    def shift(self) -> tuple[T_co, Collection[T_co]]:
        """The first item and a collection of the rest; raises ItemNotFoundError when empty."""
        if not self._items:
            raise ItemNotFoundError("shift() on an empty collection")
        return self._items[0], self._new(self._items[1:])
