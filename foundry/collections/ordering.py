"""Reordering items: sort, sort_by, sort_by_desc, sort_desc, sort_keys, reverse, shuffle."""

from __future__ import annotations

import random as _random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from foundry.collections.base import BaseCollection, Comparable

if TYPE_CHECKING:
    from foundry.collections.collection import Collection

__all__ = ["OrderingMethods"]

T_co = TypeVar("T_co", covariant=True)
# A bound on the collection type itself: mypy does not check a TypeVar's bound inside a self
# type (``self: BaseCollection[C]``), but it does check ``self: S`` against S's bound.
S = TypeVar("S", bound=BaseCollection[Comparable])
P = TypeVar("P", bound=BaseCollection[tuple[Comparable, Any]])


class _NoneFirst:
    """Sort key wrapper that orders None before every other value instead of failing."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _NoneFirst) -> bool:
        if self.value is None:
            return other.value is not None
        if other.value is None:
            return False
        return bool(self.value < other.value)


def _first(pair: tuple[Comparable, Any]) -> Comparable:
    return pair[0]


class OrderingMethods(BaseCollection[T_co]):
    """Methods returning the same items in another order. Sorting is stable."""

    __slots__ = ()

    def sort(self: S) -> S:
        """The items in ascending order."""
        return type(self)(sorted(self._items))

    def sort_desc(self: S) -> S:
        """The items in descending order."""
        return type(self)(sorted(self._items, reverse=True))

    def sort_by(
        self, key: Callable[[T_co], Comparable | None] | str, *, descending: bool = False
    ) -> Collection[T_co]:
        """The items ordered by ``key`` (callable, or a dotted key / attribute name).

        Items whose key is None sort first (last when descending), like SQL's NULLS FIRST.
        """
        extract = self._key(key)

        def sort_key(item: Any) -> _NoneFirst:
            return _NoneFirst(extract(item))

        return self._new(sorted(self._items, key=sort_key, reverse=descending))

    def sort_by_desc(self, key: Callable[[T_co], Comparable | None] | str) -> Collection[T_co]:
        """``sort_by`` in descending order."""
        return self.sort_by(key, descending=True)

    def sort_keys(self: P, *, descending: bool = False) -> P:
        """A collection of ``(key, value)`` pairs ordered by key (Laravel's keyed collection is a
        collection of pairs here, as ``to_dict()`` reads it): ``collect(d.items()).sort_keys()``.
        """
        return type(self)(sorted(self._items, key=_first, reverse=descending))

    def sort_keys_desc(self: P) -> P:
        """``sort_keys`` in descending order."""
        return type(self)(sorted(self._items, key=_first, reverse=True))

    def reverse(self) -> Collection[T_co]:
        """The items in reverse order."""
        return self._new(reversed(self._items))

    def shuffle(self, seed: int | None = None) -> Collection[T_co]:
        """The items in random order; the same ``seed`` gives the same order."""
        items = list(self._items)
        _random.Random(seed).shuffle(items)
        return self._new(items)
