"""``MetricsRecorder``: the lifecycle hook that tallies every delivery in memory.

A delivery costs a dictionary update (no I/O); the tallies are written to the store every
``QUEUE_METRICS_FLUSH_SECONDS`` and when the worker stops, in one round trip. In a worker its
heartbeat writes them in the background (:attr:`MetricsRecorder.background`), so no job waits for
a write; elsewhere (jobs run by the ``sync`` driver in a web process) the delivery that finds
them due writes them, and the app writes the rest when it shuts down. A store that does not answer never disturbs a job: the tallies are
kept and written with the next flush (up to :data:`MAX_PENDING` series, then the oldest minutes
are dropped and a warning is logged).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from foundry.queue.metrics.tally import SeriesKey, Tally

if TYPE_CHECKING:
    from foundry.queue.lifecycle import JobRun
    from foundry.queue.metrics.store import MetricsStore

__all__ = ["MAX_PENDING", "MetricsRecorder"]

logger = logging.getLogger("foundry.queue")

#: Series held in memory while the store is away, at most.
MAX_PENDING = 10_000
#: Seconds between two prunes of old minutes by one process.
PRUNE_EVERY = 600.0


class MetricsRecorder:
    """Counts processed, failed and released jobs, runtimes and waits, per minute and class."""

    def __init__(
        self,
        store: Callable[[], MetricsStore],
        *,
        flush_every: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """
        Args:
            store: gives the store on first flush (opened lazily, in the worker's event loop).
            flush_every: seconds between two writes to the store.
            clock: wall-clock time; tests pass a frozen one.
        """
        self._store = store
        self.flush_every = flush_every
        self.clock = clock
        #: Set by a worker's heartbeat, which then writes the tallies itself: deliveries never
        #: wait for a write.
        self.background = False
        self._pending: dict[SeriesKey, Tally] = {}
        # rq's heartbeat thread takes the tallies while the worker's thread adds to them.
        self._lock = threading.Lock()
        self._flushed_at = time.monotonic()
        self._pruned_at = float("-inf")

    def _count(self, run: JobRun, outcome: str) -> None:
        now = self.clock()
        reserved = run.reserved
        key = SeriesKey(int(now) - int(now) % 60, reserved.connection, reserved.queue, run.job_name)
        pushed_at = run.pushed_at
        with self._lock:
            tally = self._pending.get(key)
            if tally is None:
                tally = self._pending[key] = Tally()
            setattr(tally, outcome, getattr(tally, outcome) + 1)
            if run.runtime is not None:
                tally.add_runtime(run.runtime)
            # Queued to started, for first attempts only: a retry's "wait" is its backoff.
            if reserved.attempts == 1 and pushed_at is not None:
                tally.add_wait(max(0.0, run.started_at - pushed_at))

    async def succeeded(self, run: JobRun) -> None:
        """Count a processed job."""
        self._count(run, "processed")
        await self._maybe_flush()

    async def released(self, run: JobRun, delay: float) -> None:
        """Count a released attempt."""
        self._count(run, "released")
        await self._maybe_flush()

    async def failed(self, run: JobRun) -> None:
        """Count a job that failed for good."""
        self._count(run, "failed")
        await self._maybe_flush()

    def due(self) -> bool:
        """Whether ``QUEUE_METRICS_FLUSH_SECONDS`` passed since the last write."""
        return time.monotonic() - self._flushed_at >= self.flush_every

    async def _maybe_flush(self) -> None:
        if not self.background and self.due():
            await self.flush()

    def pending(self) -> dict[SeriesKey, Tally]:
        """The tallies not yet written (a copy)."""
        with self._lock:
            return dict(self._pending)

    async def flush(self, store: MetricsStore | None = None) -> None:
        """Write the tallies held in memory (and, every ten minutes, prune old ones) to
        ``store`` (default: the app's; a heartbeat thread passes its own).

        Never raises: metrics must not fail a job or a worker's stop.
        """
        self._flushed_at = time.monotonic()
        with self._lock:
            pending, self._pending = self._pending, {}
        try:
            store = self._store() if store is None else store
            if pending:
                await store.add(pending)
            if time.monotonic() - self._pruned_at >= PRUNE_EVERY:
                self._pruned_at = time.monotonic()
                await store.prune(self.clock())
        except Exception as exc:
            logger.warning("queue metrics not written (kept for the next flush): %s", exc)
            self._keep(pending)

    def _keep(self, unwritten: dict[SeriesKey, Tally]) -> None:
        with self._lock:
            self._merge_back(unwritten)

    def _merge_back(self, unwritten: dict[SeriesKey, Tally]) -> None:
        for key, tally in unwritten.items():
            held = self._pending.get(key)
            if held is None:
                self._pending[key] = tally
            else:
                held.merge(tally)
        if len(self._pending) > MAX_PENDING:
            oldest = sorted(self._pending)[: len(self._pending) - MAX_PENDING]
            for key in oldest:
                del self._pending[key]
            logger.warning("queue metrics: dropped %d unwritten series", len(oldest))
