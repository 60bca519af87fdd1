"""Reducing a collection to one value: sum, avg, min, max, median, mode, percentage, reduce.

Each aggregate takes the items themselves, or a key: a callable on the item, or a (dotted)
key or attribute name as ``pluck`` takes (``orders.sum("total")``).
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar, cast, overload

from foundry.collections.base import BaseCollection, Comparable

__all__ = ["AggregateMethods"]

T_co = TypeVar("T_co", covariant=True)
A = TypeVar("A")
C = TypeVar("C", bound=Comparable)
U = TypeVar("U")
N = TypeVar("N", int, float, Decimal)


class AggregateMethods(BaseCollection[T_co]):
    """Methods folding the items into one value. Empty collections give 0 or None, never raise."""

    __slots__ = ()

    # Overloads on concrete self types because mypy checks those, but not a TypeVar's bound or
    # constraints in a self type: ``self: BaseCollection[N]`` would accept Collection[User].
    @overload
    def sum(self: BaseCollection[int]) -> int: ...

    @overload
    def sum(self: BaseCollection[float]) -> float: ...

    @overload
    def sum(self: BaseCollection[Decimal]) -> Decimal: ...

    @overload
    def sum(self, key: Callable[[T_co], N]) -> N: ...

    @overload
    def sum(self, key: str) -> Any: ...

    def sum(self, key: Callable[[Any], Any] | str | None = None) -> Any:
        """The total of the items (or of their ``key``: a callable or a dotted key/attribute
        name); missing (None) values count as nothing, as in Laravel; 0 when empty."""
        return sum(value for value in self._extract(key) if value is not None)

    @overload
    def avg(self: BaseCollection[float]) -> float | None: ...

    @overload
    def avg(self, key: Callable[[T_co], float] | str) -> float | None: ...

    def avg(self, key: Callable[[Any], float] | str | None = None) -> float | None:
        """The arithmetic mean (of the items or their ``key``, leaving out None), or None when
        nothing is left."""
        return self._mean(key)

    @overload
    def average(self: BaseCollection[float]) -> float | None: ...

    @overload
    def average(self, key: Callable[[T_co], float] | str) -> float | None: ...

    def average(self, key: Callable[[Any], float] | str | None = None) -> float | None:
        """Laravel's other name for :meth:`avg`."""
        return self._mean(key)

    def _mean(self, key: Callable[[Any], float] | str | None) -> float | None:
        values = self._numbers(key)
        return sum(values) / len(values) if values else None

    @overload
    def median(self: BaseCollection[float]) -> float | None: ...

    @overload
    def median(self, key: Callable[[T_co], float] | str) -> float | None: ...

    def median(self, key: Callable[[Any], float] | str | None = None) -> float | None:
        """The middle value (mean of the two middle ones for an even count), or None when empty."""
        values = self._numbers(key)
        return float(statistics.median(values)) if values else None

    def _numbers(self, key: Callable[[Any], float] | str | None) -> list[float]:
        # Missing (None) values are left out of means and medians, as Laravel leaves out nulls.
        return [float(cast(float, value)) for value in self._extract(key) if value is not None]

    @overload
    def mode(self) -> list[T_co]: ...

    @overload
    def mode(self, key: Callable[[T_co], U]) -> list[U]: ...

    @overload
    def mode(self, key: str) -> list[Any]: ...

    def mode(self, key: Callable[[Any], Any] | str | None = None) -> list[Any]:
        """The most frequent item(s) (or values of ``key``), in order of first appearance;
        empty when empty."""
        counts: list[tuple[Any, int]] = []
        for item in self._extract(key):
            for index, (seen, count) in enumerate(counts):
                if seen == item:
                    counts[index] = (seen, count + 1)
                    break
            else:
                counts.append((item, 1))
        top = max((count for _, count in counts), default=0)
        return [item for item, count in counts if count == top]

    @overload
    def min(self: BaseCollection[int]) -> int | None: ...

    @overload
    def min(self: BaseCollection[float]) -> float | None: ...

    @overload
    def min(self: BaseCollection[str]) -> str | None: ...

    @overload
    def min(self: BaseCollection[Decimal]) -> Decimal | None: ...

    @overload
    def min(self: BaseCollection[datetime.datetime]) -> datetime.datetime | None: ...

    @overload
    def min(self: BaseCollection[datetime.date]) -> datetime.date | None: ...

    @overload
    def min(self: BaseCollection[Comparable | None]) -> Comparable | None: ...

    @overload
    def min(self, key: Callable[[T_co], C]) -> C | None: ...

    @overload
    def min(self, key: str) -> Any: ...

    def min(self, key: Callable[[Any], Any] | str | None = None) -> Any:
        """The smallest item (or ``key(item)``), ignoring None; None when nothing is left."""
        values = [v for v in self._extract(key) if v is not None]
        return min(values) if values else None

    @overload
    def max(self: BaseCollection[int]) -> int | None: ...

    @overload
    def max(self: BaseCollection[float]) -> float | None: ...

    @overload
    def max(self: BaseCollection[str]) -> str | None: ...

    @overload
    def max(self: BaseCollection[Decimal]) -> Decimal | None: ...

    @overload
    def max(self: BaseCollection[datetime.datetime]) -> datetime.datetime | None: ...

    @overload
    def max(self: BaseCollection[datetime.date]) -> datetime.date | None: ...

    @overload
    def max(self: BaseCollection[Comparable | None]) -> Comparable | None: ...

    @overload
    def max(self, key: Callable[[T_co], C]) -> C | None: ...

    @overload
    def max(self, key: str) -> Any: ...

    def max(self, key: Callable[[Any], Any] | str | None = None) -> Any:
        """The largest item (or ``key(item)``), ignoring None; None when nothing is left."""
        values = [v for v in self._extract(key) if v is not None]
        return max(values) if values else None

    def _extract(self, key: Callable[[Any], Any] | str | None) -> list[Any]:
        if key is None:
            return list(self._items)
        extract = self._key(key)
        return [extract(item) for item in self._items]

    def percentage(self, predicate: Callable[[T_co], object], precision: int = 2) -> float | None:
        """The share of items passing ``predicate``, in percent rounded to ``precision``
        decimals (``33.33``); None when empty."""
        if not self._items:
            return None
        passed = sum(1 for item in self._items if predicate(item))
        return round(passed * 100 / len(self._items), precision)

    def reduce(self, fn: Callable[[A, T_co], A], initial: A) -> A:
        """Fold the items left to right: ``fn(fn(initial, first), second) ...``."""
        carry = initial
        for item in self._items:
            carry = fn(carry, item)
        return carry
