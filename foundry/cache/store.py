"""The base class every cache back end shares.

A store keeps text under string keys; the :class:`~foundry.cache.repository.Repository` in front of it
turns values into JSON text and back, so a store never sees Python objects. ``ttl`` is in seconds
(fractions allowed) and ``None`` means for ever; the repository never passes a ``ttl`` of zero or
less.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

from foundry.cache.lock import Lock

__all__ = ["Store", "TaggableStore"]


class Store(ABC):
    """A cache back end: ``array``, ``file``, ``redis``, or one added with ``extend``."""

    @abstractmethod
    async def get(self, key: str) -> str | None:
        """The text stored under ``key``, or ``None`` when missing or expired."""

    async def many(self, keys: Sequence[str]) -> dict[str, str | None]:
        """The text under each key (``None`` for the missing ones)."""
        return {key: await self.get(key) for key in keys}

    @abstractmethod
    async def put(self, key: str, value: str, ttl: float | None) -> None:
        """Store ``value`` under ``key``, replacing what was there."""

    async def put_many(self, values: Mapping[str, str], ttl: float | None) -> None:
        """Store every item of ``values`` with the same ``ttl``."""
        for key, value in values.items():
            await self.put(key, value, ttl)

    @abstractmethod
    async def add(self, key: str, value: str, ttl: float | None) -> bool:
        """Store ``value`` only if ``key`` is missing, atomically; whether it was stored."""

    @abstractmethod
    async def increment(self, key: str, by: int) -> int:
        """Add ``by`` to the integer under ``key`` (a missing key counts as 0, kept for ever).

        The key keeps its expiry. Raises ``NonNumericValueError`` if the value is not an integer.
        """

    @abstractmethod
    async def forget(self, key: str) -> bool:
        """Remove ``key``; whether it was there."""

    @abstractmethod
    async def flush(self) -> None:
        """Remove every entry of this store (and only of this store: its prefix or directory)."""

    @abstractmethod
    def lock(self, name: str, seconds: float, owner: str | None = None) -> Lock:
        """An atomic lock named ``name`` in this store (see :class:`~foundry.cache.lock.Lock`)."""


class TaggableStore(Store):
    """A store that can remember which keys were written under a tag, to delete them together."""

    @abstractmethod
    async def tag_key(self, tag: str, key: str, ttl: float | None) -> None:
        """Remember that ``key`` (living ``ttl`` seconds) was written under ``tag``."""

    @abstractmethod
    async def flush_tag(self, tag: str) -> None:
        """Remove every key remembered under ``tag``, and the record of them."""
