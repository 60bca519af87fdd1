"""``CompletedStore``: where completed jobs are kept, trimmed on every write (as Horizon does)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from foundry.queue.completed.record import CompletedJob

__all__ = ["CompletedStore"]


class CompletedStore(ABC):
    """Keeps the completed jobs of the last ``retention`` seconds, at most ``limit`` of them."""

    def __init__(self, retention: float, limit: int) -> None:
        """
        Args:
            retention: seconds a completed job is kept.
            limit: the most completed jobs kept.
        """
        self.retention = retention
        self.limit = limit

    @property
    @abstractmethod
    def key(self) -> str:
        """What identifies the storage (two stores with the same key hold the same jobs)."""

    @abstractmethod
    async def add(self, records: Sequence[CompletedJob], now: float) -> None:
        """Store ``records`` and drop what is past the retention or beyond the limit, in one
        round trip (one transaction) where the back end allows."""

    @abstractmethod
    async def recent(self, queue: str | None, offset: int, limit: int) -> list[CompletedJob]:
        """Completed jobs (of ``queue`` only, if given), newest first."""

    @abstractmethod
    async def prune(self, now: float) -> int:
        """Drop what is past the retention or beyond the limit; how many went."""
