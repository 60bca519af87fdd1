"""Reshaping items: map, map_into, map_spread, flat_map, pluck, key_by, group_by, count_by, ..."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload

from foundry.collections.base import BaseCollection

if TYPE_CHECKING:
    from foundry.collections.collection import Collection

__all__ = ["TransformMethods"]

T_co = TypeVar("T_co", covariant=True)
U = TypeVar("U")
V = TypeVar("V")
W = TypeVar("W")
K = TypeVar("K", bound=Hashable)


def _flatten_into(out: list[Any], value: object, depth: float) -> None:
    # Strings and bytes are iterable but are values, not containers: never split them.
    if isinstance(value, (str, bytes)) or depth < 0:
        out.append(value)
    elif isinstance(value, Mapping):
        for inner in value.values():
            _flatten_into(out, inner, depth - 1)
    elif isinstance(value, Iterable):
        for inner in value:
            _flatten_into(out, inner, depth - 1)
    else:
        out.append(value)


class TransformMethods(BaseCollection[T_co]):
    """Methods that build new values (or dicts) out of the items."""

    __slots__ = ()

    def map(self, fn: Callable[[T_co], U]) -> Collection[U]:
        """A collection of ``fn(item)`` for each item."""
        return self._new(fn(item) for item in self._items)

    def map_into(self, cls: Callable[[T_co], U]) -> Collection[U]:
        """A collection of ``cls(item)``: each item wrapped in a class (or any one-argument
        callable), as in ``prices.map_into(Money)``."""
        return self._new(cls(item) for item in self._items)

    def map_spread(self: BaseCollection[Iterable[Any]], fn: Callable[..., U]) -> Collection[U]:
        """A collection of ``fn(*item)``: each item (a tuple, list or chunk) spread into the
        arguments: ``collect([(1, 2), (3, 4)]).map_spread(lambda a, b: a + b)``."""
        return self._new(fn(*item) for item in self._items)

    def map_to_groups(self, fn: Callable[[T_co], tuple[K, U]]) -> dict[K, Collection[U]]:
        """A dict grouping the values of the ``(key, value)`` pairs ``fn`` returns by key, in
        order of first appearance."""
        groups: dict[K, list[U]] = {}
        for item in self._items:
            key, value = fn(item)
            groups.setdefault(key, []).append(value)
        return {key: self._new(values) for key, values in groups.items()}

    def flat_map(self, fn: Callable[[T_co], Iterable[U]]) -> Collection[U]:
        """``map`` then flatten one level: each ``fn(item)`` contributes all its values."""
        return self._new(value for item in self._items for value in fn(item))

    def map_with_keys(self, fn: Callable[[T_co], tuple[K, U]]) -> dict[K, U]:
        """A dict built from the ``(key, value)`` pair ``fn`` returns for each item."""
        return dict(fn(item) for item in self._items)

    @overload
    def key_by(self, key: Callable[[T_co], K]) -> dict[K, T_co]: ...

    @overload
    def key_by(self, key: str) -> dict[Any, T_co]: ...

    def key_by(self, key: Callable[[T_co], Any] | str) -> dict[Any, T_co]:
        """A dict of the items keyed by ``key``; a later item wins over an earlier duplicate."""
        extract = self._key(key)
        return {extract(item): item for item in self._items}

    @overload
    def group_by(self, key: Callable[[T_co], K]) -> dict[K, Collection[T_co]]: ...

    @overload
    def group_by(self, key: str) -> dict[Any, Collection[T_co]]: ...

    def group_by(self, key: Callable[[T_co], Any] | str) -> dict[Any, Collection[T_co]]:
        """The items grouped by ``key``, groups in order of first appearance."""
        extract = self._key(key)
        groups: dict[Any, list[T_co]] = {}
        for item in self._items:
            groups.setdefault(extract(item), []).append(item)
        return {name: self._new(items) for name, items in groups.items()}

    @overload
    def count_by(self: BaseCollection[K]) -> dict[K, int]: ...

    @overload
    def count_by(self, key: Callable[[T_co], K]) -> dict[K, int]: ...

    @overload
    def count_by(self, key: str) -> dict[Any, int]: ...

    def count_by(self, key: Callable[[Any], Any] | str | None = None) -> dict[Any, int]:
        """How many times each value (or each value of ``key``: a callable or a dotted
        key/attribute name) occurs."""
        extract = self._key(key) if key is not None else None
        counts: dict[Any, int] = {}
        for item in self._items:
            marker = item if extract is None else extract(item)
            counts[marker] = counts.get(marker, 0) + 1
        return counts

    @overload
    def pluck(self, value: Callable[[T_co], U]) -> Collection[U]: ...

    @overload
    def pluck(self, value: str) -> Collection[Any]: ...

    @overload
    def pluck(self, value: str, key: str) -> dict[Any, Any]: ...

    def pluck(
        self, value: Callable[[T_co], Any] | str, key: str | None = None
    ) -> Collection[Any] | dict[Any, Any]:
        """The value of ``value`` (a dotted key, attribute or callable) from each item.

        ``pluck("name", "id")`` returns a dict of names keyed by id instead.
        """
        extract = self._key(value)
        if key is None:
            return self._new(extract(item) for item in self._items)
        by = self._key(key)
        return {by(item): extract(item) for item in self._items}

    def collapse(self: BaseCollection[Iterable[U]]) -> Collection[U]:
        """One collection of the values of every inner iterable (one level)."""
        return self._new(value for inner in self._items for value in inner)

    def flatten(self, depth: float = float("inf")) -> Collection[Any]:
        """Nested lists, tuples, collections and mapping values flattened ``depth`` levels."""
        out: list[Any] = []
        for item in self._items:
            _flatten_into(out, item, depth - 1)
        return self._new(out)

    def combine(self: BaseCollection[K], values: Iterable[U]) -> dict[K, U]:
        """A dict using the items as keys and ``values`` as values.

        Raises:
            ValueError: ``values`` has a different length.
        """
        given = list(values)
        if len(given) != len(self._items):
            raise ValueError(
                f"combine() needs as many values as keys: {len(self._items)} keys, "
                f"{len(given)} values"
            )
        return dict(zip(self._items, given))

    @overload
    def zip(self, other: Iterable[U], /) -> Collection[tuple[T_co, U]]: ...

    @overload
    def zip(self, other: Iterable[U], another: Iterable[W], /) -> Collection[tuple[T_co, U, W]]: ...

    def zip(self, *others: Iterable[Any]) -> Collection[tuple[Any, ...]]:
        """Tuples pairing each item with the values at the same position (shortest wins)."""
        return self._new(zip(self._items, *others))

    @overload
    def implode(self: BaseCollection[str], glue: str = "") -> str: ...

    @overload
    def implode(self, glue: str, key: Callable[[T_co], str] | str) -> str: ...

    def implode(self, glue: str = "", key: Callable[[Any], str] | str | None = None) -> str:
        """The items (or their ``key``) joined with ``glue``."""
        extract = self._key(key) if key is not None else (lambda item: item)
        return glue.join(str(extract(item)) for item in self._items)
