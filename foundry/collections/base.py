"""The storage and Python protocols every collection shares: iteration, length, indexing."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, overload

from foundry.collections.data import data_get

if TYPE_CHECKING:
    from foundry.collections.collection import Collection

__all__ = ["BaseCollection", "Comparable"]

T_co = TypeVar("T_co", covariant=True)
U = TypeVar("U")
K = TypeVar("K", bound=Hashable)


class Comparable(Protocol):
    """Anything that can be ordered with ``<`` (numbers, strings, dates, tuples of those)."""

    def __lt__(self, other: Any, /) -> bool: ...


# A key given as a callable on the item, or as a (dotted) key / attribute name.


class BaseCollection(Generic[T_co]):
    """An immutable sequence of items; every operation returns a new collection.

    Collections compare equal when they hold equal items in the same order, hash like a tuple
    (so only when every item is hashable) and are falsy when empty.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[T_co] = ()) -> None:
        """Hold ``items`` (any iterable, consumed once)."""
        self._items: tuple[T_co, ...] = tuple(items)

    def _new(self, items: Iterable[U]) -> Collection[U]:
        # Imported here: the concrete class is assembled from the mixins that import this module.
        from foundry.collections.collection import Collection

        return Collection(items)

    def _key(self, key: Callable[[Any], Any] | str) -> Callable[[Any], Any]:
        if callable(key):
            return key
        return lambda item: data_get(item, key)

    def __iter__(self) -> Iterator[T_co]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, value: object) -> bool:
        return value in self._items

    @overload
    def __getitem__(self, index: int) -> T_co: ...

    @overload
    def __getitem__(self, index: slice) -> Collection[T_co]: ...

    def __getitem__(self, index: int | slice) -> T_co | Collection[T_co]:
        if isinstance(index, slice):
            return self._new(self._items[index])
        return self._items[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, BaseCollection):
            return self._items == other._items
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"Collection({list(self._items)!r})"

    def __add__(self, other: Iterable[U]) -> Collection[T_co | U]:
        return self._new((*self._items, *other))
