"""Processed-job counters and ``queue:stats`` numbers.

Workers count processed jobs in memory and add them to the cache about once a second (and when
they stop), so counting costs no round trip per job.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from foundry.queue.manager import QueueManager

__all__ = ["ProcessedCounter", "QueueStats", "collect_stats", "processed_key"]


def processed_key(connection: str, queue: str) -> str:
    """The cache key counting processed jobs of one queue."""
    return f"queue:processed:{connection}:{queue}"


class ProcessedCounter:
    """Buffers processed counts per queue and flushes them to the cache."""

    def __init__(self, manager: QueueManager, connection: str, every: float = 1.0) -> None:
        self.manager = manager
        self.connection = connection
        self.every = every
        self._pending: dict[str, int] = {}
        self._flushed_at = time.monotonic()

    async def add(self, queue: str) -> None:
        """Count one processed job of ``queue``."""
        self._pending[queue] = self._pending.get(queue, 0) + 1
        if time.monotonic() - self._flushed_at >= self.every:
            await self.flush()

    def add_now(self, queue: str) -> None:
        """Count without flushing (from synchronous code)."""
        self._pending[queue] = self._pending.get(queue, 0) + 1

    async def flush(self) -> None:
        """Add the buffered counts to the cache."""
        pending, self._pending = self._pending, {}
        self._flushed_at = time.monotonic()
        store = self.manager.cache().store()
        for queue, count in pending.items():
            await store.increment(processed_key(self.connection, queue), count)


@dataclass(frozen=True, slots=True)
class QueueStats:
    """One row of ``queue:stats``."""

    connection: str
    queue: str
    pending: int
    reserved: int
    delayed: int
    failed: int
    processed: int


async def collect_stats(manager: QueueManager, connection: str | None = None) -> list[QueueStats]:
    """Numbers for every queue of ``connection`` that holds, failed or processed jobs."""
    driver = manager.connection(connection)
    failed = {
        q: n for (c, q), n in (await manager.failed_store().counts()).items() if c == driver.name
    }
    names = set(await driver.queues()) | set(failed) | {driver.default_queue}
    names |= {
        q
        for q, d in manager.defined_queues().items()
        if (d.connection or manager.default_connection) == driver.name
    }
    store = manager.cache().store()
    rows: list[QueueStats] = []
    for queue in sorted(names):
        counts = await driver.counts(queue)
        processed = await store.get(processed_key(driver.name, queue), 0)
        rows.append(
            QueueStats(
                driver.name,
                queue,
                counts.pending,
                counts.reserved,
                counts.delayed,
                failed.get(queue, 0),
                int(processed or 0),
            )
        )
    return rows
