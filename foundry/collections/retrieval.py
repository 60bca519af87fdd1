"""Reading items out of a collection: first, last, sole, search, after, value, contains, ..."""

from __future__ import annotations

import random as _random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from foundry.collections.base import BaseCollection
from foundry.collections.data import MISSING, Operator, compare, data_get
from foundry.collections.errors import ItemNotFoundError, MultipleItemsFoundError

if TYPE_CHECKING:
    from foundry.collections.collection import Collection

__all__ = ["RetrievalMethods"]

T_co = TypeVar("T_co", covariant=True)
D = TypeVar("D")


class RetrievalMethods(BaseCollection[T_co]):
    """Methods that pick items (or facts about items) out of the collection."""

    __slots__ = ()

    def all(self) -> list[T_co]:
        """The items as a new list (shallow: nested collections stay collections)."""
        return list(self._items)

    def count(self) -> int:
        """The number of items."""
        return len(self._items)

    def is_empty(self) -> bool:
        """Whether the collection holds no items."""
        return not self._items

    def is_not_empty(self) -> bool:
        """Whether the collection holds at least one item."""
        return bool(self._items)

    @overload
    def first(self, predicate: Callable[[T_co], object] | None = None) -> T_co | None: ...

    @overload
    def first(self, predicate: Callable[[T_co], object] | None, default: D) -> T_co | D: ...

    def first(
        self, predicate: Callable[[T_co], object] | None = None, default: object = None
    ) -> object:
        """The first item (passing ``predicate`` if given), else ``default``."""
        for item in self._items:
            if predicate is None or predicate(item):
                return item
        return default

    def first_or_fail(self, predicate: Callable[[T_co], object] | None = None) -> T_co:
        """The first item (passing ``predicate``); raises ItemNotFoundError when there is none."""
        for item in self._items:
            if predicate is None or predicate(item):
                return item
        raise ItemNotFoundError("no item matched" if predicate else "the collection is empty")

    @overload
    def first_where(self, key: str, value: object, /) -> T_co | None: ...

    @overload
    def first_where(self, key: str, operator: Operator, value: object, /) -> T_co | None: ...

    def first_where(self, key: str, operator: object, value: object = MISSING) -> T_co | None:
        """The first item whose ``key`` matches, as in ``where`` (``=`` when no operator)."""
        if value is MISSING:
            operator, value = "=", operator
        for item in self._items:
            if compare(data_get(item, key), str(operator), value):
                return item
        return None

    @overload
    def last(self, predicate: Callable[[T_co], object] | None = None) -> T_co | None: ...

    @overload
    def last(self, predicate: Callable[[T_co], object] | None, default: D) -> T_co | D: ...

    def last(
        self, predicate: Callable[[T_co], object] | None = None, default: object = None
    ) -> object:
        """The last item (passing ``predicate`` if given), else ``default``."""
        for item in reversed(self._items):
            if predicate is None or predicate(item):
                return item
        return default

    @overload
    def get(self, index: int) -> T_co | None: ...

    @overload
    def get(self, index: int, default: D) -> T_co | D: ...

    def get(self, index: int, default: object = None) -> object:
        """The item at ``index`` (negative counts from the end), else ``default``."""
        if -len(self._items) <= index < len(self._items):
            return self._items[index]
        return default

    def sole(self, predicate: Callable[[T_co], object] | None = None) -> T_co:
        """The only item (passing ``predicate``).

        Raises:
            ItemNotFoundError: no item matched.
            MultipleItemsFoundError: more than one item matched.
        """
        found = [item for item in self._items if predicate is None or predicate(item)]
        if not found:
            raise ItemNotFoundError("no item matched" if predicate else "the collection is empty")
        if len(found) > 1:
            raise MultipleItemsFoundError(len(found))
        return found[0]

    @overload
    def after(self, value: object) -> T_co | None: ...

    @overload
    def after(self, value: object, default: D) -> T_co | D: ...

    def after(self, value: object, default: object = None) -> object:
        """The item after the first one equal to ``value`` (or passing it, if callable), else
        ``default`` (also when that item is the last)."""
        index = self.search(value)
        if index is None or index + 1 >= len(self._items):
            return default
        return self._items[index + 1]

    @overload
    def before(self, value: object) -> T_co | None: ...

    @overload
    def before(self, value: object, default: D) -> T_co | D: ...

    def before(self, value: object, default: object = None) -> object:
        """The item before the first one equal to ``value`` (or passing it, if callable), else
        ``default`` (also when that item is the first)."""
        index = self.search(value)
        if index is None or index == 0:
            return default
        return self._items[index - 1]

    def value(self, key: str, default: object = None) -> Any:
        """The ``key`` (a dotted key or attribute name) of the first item that has it, else
        ``default``: ``users.value("email")``."""
        for item in self._items:
            found = data_get(item, key, MISSING)
            if found is not MISSING:
                return found
        return default

    def search(self, value: object) -> int | None:
        """The index of the first item equal to ``value`` (or passing it, if callable), or None."""
        for index, item in enumerate(self._items):
            if value(item) if callable(value) else item == value:
                return index
        return None

    def contains(self, value: object, *args: object) -> bool:
        """Whether an item equals ``value``, passes it (if callable), or matches ``where(...)``.

        ``contains("role", "admin")`` and ``contains("age", ">", 18)`` test a key as ``where`` does.
        """
        if args:
            key, operator, expected = (
                (str(value), "=", args[0])
                if len(args) == 1
                else (str(value), str(args[0]), args[1])
            )
            return any(compare(data_get(i, key), operator, expected) for i in self._items)
        if callable(value):
            return any(value(item) for item in self._items)
        return value in self._items

    def doesnt_contain(self, value: object, *args: object) -> bool:
        """The opposite of ``contains``."""
        return not self.contains(value, *args)

    def some(self, value: object, *args: object) -> bool:
        """Laravel's other name for :meth:`contains`."""
        return self.contains(value, *args)

    def contains_one_item(self, predicate: Callable[[T_co], object] | None = None) -> bool:
        """Whether exactly one item is held (or passes ``predicate``)."""
        return sum(1 for item in self._items if predicate is None or predicate(item)) == 1

    def every(self, predicate: Callable[[T_co], object]) -> bool:
        """Whether every item passes ``predicate`` (true for an empty collection)."""
        return all(predicate(item) for item in self._items)

    def has(self, *indexes: int) -> bool:
        """Whether every one of ``indexes`` is a valid position."""
        return all(-len(self._items) <= index < len(self._items) for index in indexes)

    def has_any(self, *indexes: int) -> bool:
        """Whether at least one of ``indexes`` is a valid position."""
        return any(-len(self._items) <= index < len(self._items) for index in indexes)

    def keys(self) -> Collection[int]:
        """The positions ``0 .. len - 1``."""
        return self._new(range(len(self._items)))

    def values(self) -> Collection[T_co]:
        """The items themselves (a list-like collection is already keyed by position)."""
        return self._new(self._items)

    def nth(self, step: int, offset: int = 0) -> Collection[T_co]:
        """Every ``step``-th item, starting at ``offset``."""
        if step < 1:
            raise ValueError("nth() needs a step of at least 1")
        return self._new(self._items[offset::step])

    @overload
    def random(self, count: None = None, *, seed: int | None = None) -> T_co: ...

    @overload
    def random(self, count: int, *, seed: int | None = None) -> Collection[T_co]: ...

    def random(self, count: int | None = None, *, seed: int | None = None) -> Any:
        """One random item, or ``count`` distinct ones; ``seed`` makes the choice repeatable.

        Raises:
            ValueError: the collection holds fewer than the items asked for.
        """
        wanted = 1 if count is None else count
        if wanted > len(self._items) or wanted < 0:
            raise ValueError(f"asked for {wanted} items but the collection holds {len(self)}")
        picked = _random.Random(seed).sample(self._items, wanted)
        return picked[0] if count is None else self._new(picked)
