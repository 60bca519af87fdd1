"""The ``memory`` driver: a real queue inside this process (tests, one-process tools)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass

from foundry.queue.drivers.base import PollingDriver, PushItem, QueueCounts, ReservedJob

__all__ = ["MemoryDriver"]


@dataclass(slots=True)
class _Entry:
    id: int
    item: PushItem
    payload: str
    available_at: float
    attempts: int = 0
    reserved_at: float | None = None


class MemoryDriver(PollingDriver):
    """Same semantics as the database driver (priority, delay, retry_after), kept in a dict."""

    def __init__(self, name: str, *, default_queue: str, retry_after: float) -> None:
        super().__init__(name, default_queue=default_queue, retry_after=retry_after)
        self._ids = itertools.count(1)
        self._entries: dict[int, _Entry] = {}

    async def push(self, item: PushItem) -> None:
        entry_id = next(self._ids)
        self._entries[entry_id] = _Entry(entry_id, item, item.payload, item.available_at)

    async def bulk(self, items: Sequence[PushItem]) -> None:
        for item in items:
            await self.push(item)

    def _available(self, entry: _Entry, now: float) -> bool:
        assert self.retry_after is not None
        if entry.reserved_at is None:
            return entry.available_at <= now
        return entry.reserved_at <= now - self.retry_after

    async def pop(self, queue: str) -> ReservedJob | None:
        now = time.time()
        ready = [
            e for e in self._entries.values() if e.item.queue == queue and self._available(e, now)
        ]
        if not ready:
            return None
        entry = min(ready, key=lambda e: (-e.item.priority, e.id))
        entry.reserved_at = now
        entry.attempts += 1
        return ReservedJob(str(entry.id), queue, entry.payload, entry.attempts, self.name)

    async def delete(self, job: ReservedJob) -> None:
        self._entries.pop(int(job.id), None)

    async def release(self, job: ReservedJob, delay: float, payload: str) -> None:
        entry = self._entries.get(int(job.id))
        if entry is not None:
            entry.reserved_at = None
            entry.available_at = time.time() + delay
            entry.payload = payload

    async def counts(self, queue: str) -> QueueCounts:
        now = time.time()
        counts = QueueCounts()
        for entry in self._entries.values():
            if entry.item.queue != queue:
                continue
            if entry.reserved_at is not None:
                counts.reserved += 1
            elif entry.available_at > now:
                counts.delayed += 1
            else:
                counts.pending += 1
        return counts

    async def queues(self) -> list[str]:
        return sorted({entry.item.queue for entry in self._entries.values()})

    async def clear(self, queue: str) -> int:
        doomed = [
            key
            for key, entry in self._entries.items()
            if entry.item.queue == queue and entry.reserved_at is None
        ]
        for key in doomed:
            del self._entries[key]
        return len(doomed)
