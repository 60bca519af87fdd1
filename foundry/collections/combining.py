"""Combining collections and finding repeats: concat, union, cross_join, multiply, duplicates,
flip, join.

A collection is list-like, so Laravel's methods that work on keys work on positions or values
here: ``union`` adds the other's items that are not already present (rather than the other's
missing keys), ``duplicates`` returns the repeated items, and ``flip`` maps each item to its
position.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from foundry.collections.base import BaseCollection

if TYPE_CHECKING:
    from foundry.collections.collection import Collection

__all__ = ["CombiningMethods"]

T_co = TypeVar("T_co", covariant=True)
U = TypeVar("U")
W = TypeVar("W")
K = TypeVar("K", bound=Hashable)


class _Seen:
    """Values met so far: a set for hashable ones, a list (compared with ``==``) for others."""

    __slots__ = ("_hashable", "_other")

    def __init__(self) -> None:
        self._hashable: set[Any] = set()
        self._other: list[Any] = []

    def add(self, value: object) -> bool:
        """Remember ``value``; whether it had been met before."""
        try:
            if value in self._hashable:
                return True
            self._hashable.add(value)
            return False
        except TypeError:  # unhashable (a dict, a list): compared one by one
            if value in self._other:
                return True
            self._other.append(value)
            return False


class CombiningMethods(BaseCollection[T_co]):
    """Methods that join collections together or compare items with each other."""

    __slots__ = ()

    def concat(self, other: Iterable[U]) -> Collection[T_co | U]:
        """The items followed by those of ``other`` (duplicates kept)."""
        return self._new((*self._items, *other))

    def union(self, other: Iterable[U]) -> Collection[T_co | U]:
        """The items, then each item of ``other`` not already present (compared with ``==``)."""
        seen = _Seen()
        for item in self._items:
            seen.add(item)
        added = [item for item in other if not seen.add(item)]
        return self._new((*self._items, *added))

    @overload
    def cross_join(self, other: Iterable[U], /) -> Collection[tuple[T_co, U]]: ...

    @overload
    def cross_join(
        self, other: Iterable[U], another: Iterable[W], /
    ) -> Collection[tuple[T_co, U, W]]: ...

    def cross_join(self, *others: Iterable[Any]) -> Collection[tuple[Any, ...]]:
        """Every combination of an item with a value of each of ``others`` (the cartesian
        product), in order; empty when any of them is empty."""
        return self._new(itertools.product(self._items, *others))

    def multiply(self, times: int) -> Collection[T_co]:
        """The items repeated ``times`` times, in order; empty for ``times`` below 1."""
        return self._new(self._items * max(times, 0))

    def duplicates(self, key: Callable[[T_co], object] | str | None = None) -> Collection[T_co]:
        """The items equal to an earlier one (or whose ``key`` is), in order.

        ``collect(["a", "b", "a", "c", "b"]).duplicates()`` is ``["a", "b"]``; an item repeated
        three times appears twice.
        """
        extract = self._key(key) if key is not None else None
        seen = _Seen()
        return self._new(
            item for item in self._items if seen.add(item if extract is None else extract(item))
        )

    def flip(self: BaseCollection[K]) -> dict[K, int]:
        """A dict mapping each item to its position; a repeated item keeps its last position."""
        return {item: index for index, item in enumerate(self._items)}

    def join(self, glue: str, final_glue: str | None = None) -> str:
        """The items as text joined with ``glue``, the last two with ``final_glue`` if given.

        ``collect(["a", "b", "c"]).join(", ", " and ")`` is ``"a, b and c"``; one item is
        itself, none is ``""``.
        """
        texts = [str(item) for item in self._items]
        if final_glue is None or len(texts) < 2:
            return glue.join(texts)
        return glue.join(texts[:-1]) + final_glue + texts[-1]
