"""The cache API in front of one store: ``get``, ``put``, ``remember``, locks and tags.

Every method is async (stores do I/O). Values are stored as JSON (see
:mod:`foundry.cache.serialization` for what round-trips); a TTL is seconds (``int`` or ``float``) or
a ``timedelta``, and ``None`` means for ever. A TTL of zero or less removes the key instead, as in
Laravel.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar, overload

from foundry.cache.errors import TagsNotSupportedError
from foundry.cache.lock import Lock
from foundry.cache.serialization import JsonValue, dumps, loads
from foundry.cache.store import Store, TaggableStore

if TYPE_CHECKING:
    from foundry.cache.tags import TaggedCache

__all__ = ["Repository", "Ttl", "ttl_seconds"]

T = TypeVar("T", bound=JsonValue)

#: Seconds (``int`` or ``float``), a ``timedelta``, or ``None`` for ever.
Ttl = float | timedelta | None


def ttl_seconds(ttl: Ttl) -> float | None:
    """``ttl`` in seconds, ``None`` for ever."""
    if isinstance(ttl, timedelta):
        return ttl.total_seconds()
    return None if ttl is None else float(ttl)


class Repository:
    """Laravel's cache repository over one :class:`~foundry.cache.store.Store`."""

    def __init__(self, store: Store, name: str = "") -> None:
        self.store = store
        self.name = name

    # Hooks for TaggedCache: which stored key a key maps to, and what to record after a write.
    async def _keys(self, keys: Sequence[str]) -> list[str]:
        return list(keys)

    async def _written(self, keys: Sequence[str], ttl: float | None) -> None:
        return None

    async def _key(self, key: str) -> str:
        return (await self._keys([key]))[0]

    # -- reading ---------------------------------------------------------------------------------

    async def get(self, key: str, default: Any = None) -> Any:
        """The value under ``key``, or ``default`` when it is missing or expired."""
        text = await self.store.get(await self._key(key))
        return default if text is None else loads(text)

    async def many(self, keys: Iterable[str]) -> dict[str, Any]:
        """``{key: value}`` for every key; missing keys map to ``None``."""
        wanted = list(keys)
        stored = await self._keys(wanted)
        found = await self.store.many(stored)
        return {
            key: None if (text := found.get(item)) is None else loads(text)
            for key, item in zip(wanted, stored, strict=True)
        }

    async def has(self, key: str) -> bool:
        """Whether ``key`` holds a value other than ``None``."""
        return await self.get(key) is not None

    async def missing(self, key: str) -> bool:
        """The opposite of :meth:`has`."""
        return not await self.has(key)

    async def pull(self, key: str, default: Any = None) -> Any:
        """Get the value under ``key`` and remove it."""
        value = await self.get(key, default)
        await self.forget(key)
        return value

    # -- writing ---------------------------------------------------------------------------------

    async def put(self, key: str, value: JsonValue, ttl: Ttl = None) -> bool:
        """Store ``value`` for ``ttl``; whether it was stored (a TTL <= 0 removes the key)."""
        seconds = ttl_seconds(ttl)
        if seconds is not None and seconds <= 0:
            await self.forget(key)
            return False
        return await self._put_text(key, dumps(value), seconds)

    async def _put_text(self, key: str, text: str, seconds: float | None) -> bool:
        stored = await self._key(key)
        await self.store.put(stored, text, seconds)
        await self._written([stored], seconds)
        return True

    async def put_many(self, values: Mapping[str, JsonValue], ttl: Ttl = None) -> bool:
        """Store every item of ``values`` for the same ``ttl``."""
        seconds = ttl_seconds(ttl)
        if seconds is not None and seconds <= 0:
            for key in values:
                await self.forget(key)
            return False
        texts = {key: dumps(value) for key, value in values.items()}
        stored = await self._keys(list(texts))
        await self.store.put_many(dict(zip(stored, texts.values(), strict=True)), seconds)
        await self._written(stored, seconds)
        return True

    async def add(self, key: str, value: JsonValue, ttl: Ttl = None) -> bool:
        """Store ``value`` only if ``key`` is missing (atomic); whether it was stored."""
        seconds = ttl_seconds(ttl)
        if seconds is not None and seconds <= 0:
            return False
        stored = await self._key(key)
        added = await self.store.add(stored, dumps(value), seconds)
        if added:
            await self._written([stored], seconds)
        return added

    async def forever(self, key: str, value: JsonValue) -> bool:
        """Store ``value`` with no expiry."""
        return await self.put(key, value, None)

    async def increment(self, key: str, by: int = 1) -> int:
        """Add ``by`` to the integer under ``key`` (missing counts as 0); the new value.

        Atomic on every store; the key keeps its expiry (a new key never expires).
        """
        stored = await self._key(key)
        value = await self.store.increment(stored, by)
        await self._written([stored], None)
        return value

    async def decrement(self, key: str, by: int = 1) -> int:
        """Subtract ``by`` from the integer under ``key``; the new value."""
        return await self.increment(key, -by)

    async def forget(self, key: str) -> bool:
        """Remove ``key``; whether it was there."""
        return await self.store.forget(await self._key(key))

    async def flush(self) -> None:
        """Remove every entry of this store (on Redis, only keys under this app's prefix)."""
        await self.store.flush()

    # -- remember --------------------------------------------------------------------------------

    @overload
    async def remember(self, key: str, ttl: Ttl, callback: Callable[[], Awaitable[T]]) -> T: ...

    @overload
    async def remember(self, key: str, ttl: Ttl, callback: Callable[[], T]) -> T: ...

    async def remember(self, key: str, ttl: Ttl, callback: Callable[[], Any]) -> Any:
        """The cached value under ``key``, or ``callback()`` (sync or async) stored for ``ttl``.

        The result is what a later hit returns (JSON round-tripped: a tuple comes back a list), so
        a hit and a miss look the same. A ``None`` result is not worth caching and is recomputed.
        """
        found = await self.get(key)
        if found is not None:
            return found
        value = callback()
        if inspect.isawaitable(value):
            value = await value
        text = dumps(value)
        seconds = ttl_seconds(ttl)
        if seconds is None or seconds > 0:
            await self._put_text(key, text, seconds)
        return loads(text)

    @overload
    async def remember_forever(self, key: str, callback: Callable[[], Awaitable[T]]) -> T: ...

    @overload
    async def remember_forever(self, key: str, callback: Callable[[], T]) -> T: ...

    async def remember_forever(self, key: str, callback: Callable[[], Any]) -> Any:
        """:meth:`remember` with no expiry."""
        return await self.remember(key, None, callback)

    # -- locks and tags --------------------------------------------------------------------------

    def lock(self, name: str, seconds: float = 0, owner: str | None = None) -> Lock:
        """An atomic lock held for ``seconds`` (0: until released) once acquired."""
        return self.store.lock(name, seconds, owner)

    def restore_lock(self, name: str, owner: str) -> Lock:
        """The lock ``name`` as held by ``owner`` (to release it from another process)."""
        return self.store.lock(name, 0, owner)

    def tags(self, names: str | Sequence[str]) -> TaggedCache:
        """A view of this store whose entries can be flushed together by tag.

        Raises :class:`TagsNotSupportedError` on a store without tags (``file``).
        """
        from foundry.cache.tags import TaggedCache, TagSet

        if not isinstance(self.store, TaggableStore):
            raise TagsNotSupportedError(
                f"the {self.name or type(self.store).__name__} cache store does not support tags;"
                " use the array or redis store"
            )
        tag_names = [names] if isinstance(names, str) else list(names)
        if not tag_names:
            raise ValueError("tags() needs at least one tag name")
        return TaggedCache(self.store, TagSet(self.store, tag_names), self.name)
