"""``Collection[T]``: Laravel's collection as an immutable, typed Python sequence.

Every method returns a new collection (or a plain value); the original never changes. The
methods live in mixins grouped by concept (retrieval, filtering, transform, slicing, ordering,
aggregates); this module assembles them and adds control flow, conversion and constructors.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping
from decimal import Decimal
from typing import Any, Never, TypeVar, cast, overload

from foundry.collections.aggregates import AggregateMethods
from foundry.collections.base import BaseCollection
from foundry.collections.combining import CombiningMethods
from foundry.collections.filtering import FilteringMethods
from foundry.collections.ordering import OrderingMethods
from foundry.collections.retrieval import RetrievalMethods
from foundry.collections.slicing import SlicingMethods
from foundry.collections.transform import TransformMethods

__all__ = ["Collection", "collect"]

T_co = TypeVar("T_co", covariant=True)
U = TypeVar("U")
R = TypeVar("R")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _plain(value: object) -> Any:
    # Deep conversion for to_list()/to_json(): nested collections become lists, and models with
    # Laravel's to_dict() or pydantic's model_dump() serialize themselves.
    if isinstance(value, BaseCollection):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    for method in ("to_dict", "model_dump"):
        convert = getattr(value, method, None)
        if callable(convert):
            return _plain(convert())
    return value


def _json_default(value: object) -> Any:
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class Collection(
    RetrievalMethods[T_co],
    FilteringMethods[T_co],
    TransformMethods[T_co],
    SlicingMethods[T_co],
    OrderingMethods[T_co],
    AggregateMethods[T_co],
    CombiningMethods[T_co],
):
    """An immutable, typed list of items with Laravel's collection methods.

    >>> collect([1, 2, 3, 4]).filter(lambda n: n % 2 == 0).map(lambda n: n * 10).all()
    [20, 40]
    """

    __slots__ = ()

    # -- constructors ---------------------------------------------------------------------------

    @classmethod
    def make(cls, items: Iterable[U] = ()) -> Collection[U]:
        """A collection of ``items`` (Laravel's ``Collection::make``)."""
        return Collection(items)

    @classmethod
    def times(cls, count: int, fn: Callable[[int], U]) -> Collection[U]:
        """``fn(1) .. fn(count)``: the callback receives 1-based numbers, as in Laravel."""
        return Collection(fn(number) for number in range(1, count + 1))

    @classmethod
    def range(cls, start: int, end: int, step: int = 1) -> Collection[int]:
        """The integers from ``start`` to ``end``, both included (Laravel's ``range``); counting
        down when ``end`` is below ``start``: ``Collection.range(3, 1)`` is ``[3, 2, 1]``.

        Raises:
            ValueError: ``step`` is not positive.
        """
        if step < 1:
            raise ValueError("range() needs a step of at least 1")
        if end >= start:
            return Collection(range(start, end + 1, step))
        return Collection(range(start, end - 1, -step))

    @overload
    @classmethod
    def wrap(cls, value: None) -> Collection[Never]: ...

    @overload
    @classmethod
    def wrap(cls, value: BaseCollection[U] | list[U] | tuple[U, ...]) -> Collection[U]: ...

    @overload
    @classmethod
    def wrap(cls, value: U) -> Collection[U]: ...

    @classmethod
    def wrap(cls, value: object) -> Collection[Any]:
        """``value`` as a collection: collections, lists and tuples as they are, None as empty,
        anything else (a string, a dict, a model) as a one-item collection."""
        if value is None:
            return Collection()
        if isinstance(value, (BaseCollection, list, tuple)):
            return Collection(value)
        return Collection([value])

    # -- control flow ---------------------------------------------------------------------------

    def each(self, fn: Callable[[T_co], object]) -> Collection[T_co]:
        """Call ``fn`` on each item, stopping early if it returns ``False``; returns ``self``."""
        for item in self._items:
            if fn(item) is False:
                break
        return self

    def each_spread(self: Collection[Iterable[Any]], fn: Callable[..., object]) -> Collection[Any]:
        """Call ``fn(*item)`` on each item (a tuple or chunk), stopping early if it returns
        ``False``; returns ``self``."""
        for item in self._items:
            if fn(*item) is False:
                break
        return self

    def ensure(self, *types: type[V]) -> Collection[V]:
        """The collection, typed as holding ``types``, after checking that every item is one.

        Raises:
            TypeError: naming the first item of another type and its position.
        """
        for index, item in enumerate(self._items):
            if not isinstance(item, types):
                expected = " | ".join(t.__qualname__ for t in types)
                raise TypeError(
                    f"collection item {index} is a {type(item).__qualname__}, not {expected}"
                )
        return Collection(cast(tuple[V, ...], self._items))

    def tap(self, fn: Callable[[Collection[T_co]], object]) -> Collection[T_co]:
        """Call ``fn`` with the collection (to log or inspect it) and return the collection."""
        fn(self)
        return self

    def pipe(self, fn: Callable[[Collection[T_co]], R]) -> R:
        """``fn(self)``: hand the whole collection to a function and return what it returns."""
        return fn(self)

    def pipe_through(self, pipes: Iterable[Callable[[Any], Any]]) -> Any:
        """The collection handed through each of ``pipes`` in turn: ``pipes[1](pipes[0](self))``."""
        result: Any = self
        for pipe in pipes:
            result = pipe(result)
        return result

    def when(
        self,
        condition: object,
        callback: Callable[[Collection[T_co]], Collection[U]],
        default: Callable[[Collection[T_co]], Collection[U]] | None = None,
    ) -> Collection[T_co] | Collection[U]:
        """``callback(self)`` if ``condition`` is truthy (a callable condition is called with the
        collection first), else ``default(self)`` or the collection unchanged."""
        passed = condition(self) if callable(condition) else condition
        if passed:
            return callback(self)
        return default(self) if default is not None else self

    def unless(
        self,
        condition: object,
        callback: Callable[[Collection[T_co]], Collection[U]],
        default: Callable[[Collection[T_co]], Collection[U]] | None = None,
    ) -> Collection[T_co] | Collection[U]:
        """The opposite of ``when``: ``callback(self)`` if ``condition`` is falsy."""
        passed = condition(self) if callable(condition) else condition
        if not passed:
            return callback(self)
        return default(self) if default is not None else self

    def when_empty(
        self, callback: Callable[[Collection[T_co]], Collection[U]]
    ) -> Collection[T_co] | Collection[U]:
        """``callback(self)`` if the collection is empty, else the collection."""
        return callback(self) if not self._items else self

    def when_not_empty(
        self, callback: Callable[[Collection[T_co]], Collection[U]]
    ) -> Collection[T_co] | Collection[U]:
        """``callback(self)`` if the collection has items, else the collection."""
        return callback(self) if self._items else self

    def unless_empty(
        self, callback: Callable[[Collection[T_co]], Collection[U]]
    ) -> Collection[T_co] | Collection[U]:
        """Laravel's other name for :meth:`when_not_empty`."""
        return self.when_not_empty(callback)

    def unless_not_empty(
        self, callback: Callable[[Collection[T_co]], Collection[U]]
    ) -> Collection[T_co] | Collection[U]:
        """Laravel's other name for :meth:`when_empty`."""
        return self.when_empty(callback)

    # -- conversion -----------------------------------------------------------------------------

    def to_list(self) -> list[Any]:
        """The items as plain data: nested collections become lists, dataclasses, pydantic
        models and objects with ``to_dict()`` become dicts (Laravel's ``toArray``)."""
        return [_plain(item) for item in self._items]

    def to_dict(self: BaseCollection[tuple[K, V]]) -> dict[K, V]:
        """A dict from a collection of ``(key, value)`` pairs."""
        return dict(self._items)

    def to_json(self, *, indent: int | None = None) -> str:
        """The ``to_list()`` data as JSON; dates, decimals, UUIDs and enums are encoded too."""
        return json.dumps(self.to_list(), default=_json_default, indent=indent)


def collect(items: Iterable[U] = ()) -> Collection[U]:
    """A collection of ``items`` (Laravel's ``collect()`` helper)."""
    return Collection(items)
