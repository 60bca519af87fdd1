"""Keeping or dropping items: filter, reject, the where family, unique, diff, partition, ..."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload

from foundry.collections.base import BaseCollection
from foundry.collections.data import MISSING, Operator, compare, data_get

if TYPE_CHECKING:
    from foundry.collections.collection import Collection

__all__ = ["FilteringMethods"]

T_co = TypeVar("T_co", covariant=True)
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class FilteringMethods(BaseCollection[T_co]):
    """Methods that return a subset of the items, in their original order."""

    __slots__ = ()

    def filter(self, predicate: Callable[[T_co], object] | None = None) -> Collection[T_co]:
        """The items passing ``predicate``; without one, the truthy items."""
        test = predicate or bool
        return self._new(item for item in self._items if test(item))

    def reject(self, predicate: Callable[[T_co], object]) -> Collection[T_co]:
        """The items failing ``predicate``."""
        return self._new(item for item in self._items if not predicate(item))

    @overload
    def where(self, key: str, value: object, /) -> Collection[T_co]: ...

    @overload
    def where(self, key: str, operator: Operator, value: object, /) -> Collection[T_co]: ...

    def where(self, key: str, operator: object, value: object = MISSING) -> Collection[T_co]:
        """The items whose ``key`` compares true: ``where("age", ">=", 18)``.

        With two arguments the operator is ``=``: ``where("role", "admin")``. ``=``/``==`` are
        loose (``"10"`` equals ``10``), ``===``/``!==`` also compare types, and ordering
        operators never match values Python cannot order (``None < 3``).
        """
        if value is MISSING:
            operator, value = "=", operator
        symbol = str(operator)
        return self._new(i for i in self._items if compare(data_get(i, key), symbol, value))

    def where_strict(self, key: str, value: object) -> Collection[T_co]:
        """The items whose ``key`` equals ``value`` with the same type (``===``)."""
        return self.where(key, "===", value)

    def where_in(self, key: str, values: Iterable[object]) -> Collection[T_co]:
        """The items whose ``key`` loosely equals one of ``values``."""
        wanted = list(values)
        return self._new(
            i for i in self._items if any(compare(data_get(i, key), "=", v) for v in wanted)
        )

    def where_not_in(self, key: str, values: Iterable[object]) -> Collection[T_co]:
        """The items whose ``key`` equals none of ``values``."""
        wanted = list(values)
        return self._new(
            i for i in self._items if not any(compare(data_get(i, key), "=", v) for v in wanted)
        )

    def where_null(self, key: str) -> Collection[T_co]:
        """The items whose ``key`` is None or missing."""
        return self._new(i for i in self._items if data_get(i, key) is None)

    def where_not_null(self, key: str) -> Collection[T_co]:
        """The items whose ``key`` is present and not None."""
        return self._new(i for i in self._items if data_get(i, key) is not None)

    def where_between(self, key: str, bounds: tuple[object, object]) -> Collection[T_co]:
        """The items whose ``key`` lies within ``bounds`` (both ends included)."""
        low, high = bounds
        return self._new(
            i
            for i in self._items
            if compare(data_get(i, key), ">=", low) and compare(data_get(i, key), "<=", high)
        )

    def where_not_between(self, key: str, bounds: tuple[object, object]) -> Collection[T_co]:
        """The items whose ``key`` lies outside ``bounds`` (or cannot be compared with them)."""
        low, high = bounds
        return self._new(
            i
            for i in self._items
            if not (compare(data_get(i, key), ">=", low) and compare(data_get(i, key), "<=", high))
        )

    def where_instance_of(self, cls: type[V]) -> Collection[V]:
        """The items that are instances of ``cls``, typed as such."""
        return self._new(i for i in self._items if isinstance(i, cls))

    def unique(self, key: Callable[[T_co], object] | str | None = None) -> Collection[T_co]:
        """The items with duplicates removed (by ``key`` if given), keeping the first of each.

        Unhashable values (dicts, lists) are compared by equality, so they work too.
        """
        extract = self._key(key) if key is not None else (lambda item: item)
        seen_hashable: set[Any] = set()
        seen_other: list[Any] = []
        kept: list[T_co] = []
        for item in self._items:
            marker = extract(item)
            if isinstance(marker, Hashable):
                if marker in seen_hashable:
                    continue
                seen_hashable.add(marker)
            else:
                if marker in seen_other:
                    continue
                seen_other.append(marker)
            kept.append(item)
        return self._new(kept)

    def diff(self, other: Iterable[object]) -> Collection[T_co]:
        """The items not present in ``other``."""
        excluded = list(other)
        return self._new(item for item in self._items if item not in excluded)

    def intersect(self, other: Iterable[object]) -> Collection[T_co]:
        """The items also present in ``other``."""
        included = list(other)
        return self._new(item for item in self._items if item in included)

    def partition(
        self, predicate: Callable[[T_co], object]
    ) -> tuple[Collection[T_co], Collection[T_co]]:
        """Two collections: the items passing ``predicate`` and the items failing it."""
        passed: list[T_co] = []
        failed: list[T_co] = []
        for item in self._items:
            (passed if predicate(item) else failed).append(item)
        return self._new(passed), self._new(failed)

    def only(self: BaseCollection[Mapping[K, V]], *keys: K) -> Collection[dict[K, V]]:
        """Each mapping cut down to ``keys`` (keys an item lacks are left out)."""
        return self._new({k: item[k] for k in keys if k in item} for item in self._items)

    def except_(self: BaseCollection[Mapping[K, V]], *keys: K) -> Collection[dict[K, V]]:
        """Each mapping without ``keys`` (Laravel's ``except``; ``except`` is a Python keyword)."""
        dropped = set(keys)
        return self._new(
            {k: v for k, v in item.items() if k not in dropped} for item in self._items
        )
