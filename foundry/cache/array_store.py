"""The ``array`` store: entries in this process's memory, gone when it exits.

A real driver, not a mock: it keeps the same JSON text the other stores keep, so a value read back
is a copy with the same types it would have from Redis. Used by ``Cache.fake()`` and in tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from foundry.cache.errors import NonNumericValueError
from foundry.cache.lock import Lock
from foundry.cache.serialization import dumps, loads
from foundry.cache.store import TaggableStore

__all__ = ["ArrayLock", "ArrayStore"]

Clock = Callable[[], float]


@dataclass(slots=True)
class _Entry:
    value: str
    expires_at: float | None


class ArrayStore(TaggableStore):
    """Entries in a dict; ``clock`` (seconds, default ``time.time``) decides what has expired."""

    def __init__(self, clock: Clock = time.time) -> None:
        self.clock = clock
        self._entries: dict[str, _Entry] = {}
        self._tags: dict[str, set[str]] = {}
        # name -> (owner, expires_at); kept apart from entries so flush() leaves held locks alone.
        self.locks: dict[str, tuple[str, float | None]] = {}

    def _expires_at(self, ttl: float | None) -> float | None:
        return None if ttl is None else self.clock() + ttl

    def _live(self, key: str) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None and entry.expires_at is not None and entry.expires_at <= self.clock():
            del self._entries[key]
            return None
        return entry

    async def get(self, key: str) -> str | None:
        entry = self._live(key)
        return None if entry is None else entry.value

    async def put(self, key: str, value: str, ttl: float | None) -> None:
        self._entries[key] = _Entry(value, self._expires_at(ttl))

    async def add(self, key: str, value: str, ttl: float | None) -> bool:
        # No await between the check and the write: atomic on the event loop.
        if self._live(key) is not None:
            return False
        self._entries[key] = _Entry(value, self._expires_at(ttl))
        return True

    async def increment(self, key: str, by: int) -> int:
        entry = self._live(key)
        if entry is None:
            self._entries[key] = _Entry(dumps(by), None)
            return by
        current = loads(entry.value)
        if type(current) is not int:
            raise NonNumericValueError(f"cache key {key!r} does not hold an integer")
        entry.value = dumps(current + by)
        return int(current + by)

    async def forget(self, key: str) -> bool:
        return self._entries.pop(key, None) is not None

    async def flush(self) -> None:
        self._entries.clear()
        self._tags.clear()

    async def tag_key(self, tag: str, key: str, ttl: float | None) -> None:
        self._tags.setdefault(tag, set()).add(key)

    async def flush_tag(self, tag: str) -> None:
        for key in self._tags.pop(tag, set()):
            self._entries.pop(key, None)

    def lock(self, name: str, seconds: float, owner: str | None = None) -> ArrayLock:
        return ArrayLock(self, name, seconds, owner)


class ArrayLock(Lock):
    """A lock in an :class:`ArrayStore`: shared by every task of the process."""

    def __init__(self, store: ArrayStore, name: str, seconds: float, owner: str | None) -> None:
        super().__init__(name, seconds, owner)
        self._store = store

    async def current_owner(self) -> str | None:
        held = self._store.locks.get(self.name)
        if held is None:
            return None
        owner, expires_at = held
        if expires_at is not None and expires_at <= self._store.clock():
            del self._store.locks[self.name]
            return None
        return owner

    async def acquire(self) -> bool:
        if await self.current_owner() is not None:
            return False
        expires_at = self._store.clock() + self.seconds if self.seconds else None
        self._store.locks[self.name] = (self.owner, expires_at)
        return True

    async def release(self) -> bool:
        if await self.current_owner() != self.owner:
            return False
        del self._store.locks[self.name]
        return True

    async def force_release(self) -> None:
        self._store.locks.pop(self.name, None)
