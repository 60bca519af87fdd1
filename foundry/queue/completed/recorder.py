"""``CompletedRecorder``: the lifecycle hook that notes every completed job in memory.

A success costs a list append (no I/O). The records are written every
``QUEUE_COMPLETED_FLUSH_SECONDS`` by the delivery that finds them due, and whenever the worker
goes idle or stops (:meth:`drain`), so a job shows as completed once its worker is idle or within
that interval while it is busy. Jobs of database connections go to the ``completed_jobs`` table,
those of redis connections to Redis; other drivers' (``sync``, ``memory``) are not recorded:
no other process could list them. A store that does not answer never disturbs a job: the
records are kept for the next write (up to :data:`MAX_PENDING`, then the oldest are dropped).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from foundry.queue.completed.record import CompletedJob
from foundry.queue.completed.store import CompletedStore

if TYPE_CHECKING:
    from foundry.queue.drivers.base import QueueDriver
    from foundry.queue.lifecycle import JobRun

__all__ = ["MAX_PENDING", "CompletedRecorder"]

logger = logging.getLogger("foundry.queue")

#: Records held in memory while their store is away, at most.
MAX_PENDING = 10_000


class CompletedRecorder:
    """Holds completed jobs per store and writes them in one round trip per store."""

    def __init__(
        self,
        store_for: Callable[[QueueDriver], CompletedStore | None],
        *,
        flush_every: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """
        Args:
            store_for: the store of a connection's jobs (``None``: they are not recorded).
            flush_every: seconds between two writes while the worker is busy.
            clock: wall-clock time; tests pass a frozen one.
        """
        self._store_for = store_for
        self.flush_every = flush_every
        self.clock = clock
        self._pending: dict[str, tuple[CompletedStore, list[CompletedJob]]] = {}
        # rq's heartbeat thread may stop the worker while its thread records.
        self._lock = threading.Lock()
        self._flushed_at = time.monotonic()

    async def succeeded(self, run: JobRun) -> None:
        """Note the job (its name, queue, runtime and attempts; never its payload)."""
        store = self._store_for(run.driver)
        if store is None:
            return
        record = CompletedJob.of(run, self.clock())
        with self._lock:
            held = self._pending.setdefault(store.key, (store, []))
            held[1].append(record)
        if time.monotonic() - self._flushed_at >= self.flush_every:
            await self.drain()

    async def released(self, run: JobRun, delay: float) -> None:
        """Not a completion: nothing to note."""

    async def failed(self, run: JobRun) -> None:
        """Not a completion: nothing to note."""

    def pending(self) -> int:
        """How many records wait to be written."""
        with self._lock:
            return sum(len(records) for _, records in self._pending.values())

    async def drain(self) -> None:
        """Write every record held (the worker is idle or stops). Never raises."""
        self._flushed_at = time.monotonic()
        with self._lock:
            pending, self._pending = self._pending, {}
        for key, (store, records) in pending.items():
            try:
                await store.add(records, self.clock())
            except Exception as exc:
                logger.warning("completed jobs not written (kept for the next write): %s", exc)
                self._keep(key, store, records)

    def _keep(self, key: str, store: CompletedStore, records: list[CompletedJob]) -> None:
        with self._lock:
            held = self._pending.setdefault(key, (store, []))
            held[1][:0] = records
            if len(held[1]) > MAX_PENDING:
                dropped = len(held[1]) - MAX_PENDING
                del held[1][:dropped]
                logger.warning("completed jobs: dropped %d unwritten records", dropped)
