"""``QueueMetrics``: the one read API over job metrics, queue sizes and live workers.

``queue:metrics``, ``queue:monitor``, ``queue:health`` and the dashboards read through it; the
worker writes through its :attr:`~QueueMetrics.recorder` (a lifecycle hook) and its
:class:`~foundry.queue.metrics.heartbeat.WorkerHeartbeat`.

```python
metrics = app.container.make(QueueMetrics)
for row in await metrics.by_queue(minutes=60):
    print(row.queue, row.throughput, row.runtime_p95)
```
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from foundry.config.queue import QueueSettings
from foundry.database.manager import DatabaseManager
from foundry.kernel.redis import RedisConnector
from foundry.queue.metrics.backlog import oldest_wait
from foundry.queue.metrics.database_store import DatabaseMetricsStore
from foundry.queue.metrics.recorder import MetricsRecorder
from foundry.queue.metrics.redis_store import RedisMetricsStore
from foundry.queue.metrics.reports import (
    MetricsRow,
    Overview,
    QueueSize,
    TimelinePoint,
    WorkerStatus,
)
from foundry.queue.metrics.store import MetricsStore
from foundry.queue.metrics.tally import SeriesKey, Tally

if TYPE_CHECKING:
    from foundry.queue.manager import QueueManager

__all__ = ["MetricsDisabledError", "QueueMetrics", "StoreKind", "choose_store"]

StoreKind = Literal["redis", "database", "off"]


class MetricsDisabledError(RuntimeError):
    """``QUEUE_METRICS_STORE=off``: nothing is recorded, so nothing can be read."""


def choose_store(settings: QueueSettings, default_driver: str, cache_store: str) -> StoreKind:
    """The store ``QUEUE_METRICS_STORE`` means: ``auto`` is Redis when the app uses Redis (its
    default queue connection's driver or its cache store), else the database."""
    if settings.metrics_store != "auto":
        return settings.metrics_store
    return "redis" if "redis" in (default_driver, cache_store) else "database"


def _minute(now: float) -> int:
    return int(now) - int(now) % 60


def _rows(found: dict[SeriesKey, Tally], minutes: int, *, per_job: bool) -> list[MetricsRow]:
    """The tallies summed per queue (and per job class), sorted."""
    totals: dict[tuple[str, str, str], Tally] = {}
    for key, tally in found.items():
        group = (key.connection, key.queue, key.job if per_job else "")
        totals.setdefault(group, Tally()).merge(tally)
    return [MetricsRow.of(c, q, j or None, t, minutes) for (c, q, j), t in sorted(totals.items())]


class QueueMetrics:
    """Reads (and, through :attr:`recorder`, writes) the queue's metrics; a singleton."""

    def __init__(
        self,
        manager: QueueManager,
        kind: StoreKind,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """
        Args:
            manager: the queue manager (its settings, connections and database).
            kind: where the metrics live (:func:`choose_store`).
            clock: wall-clock time; tests pass a frozen one.
        """
        self.manager = manager
        self.settings = manager.settings
        self.kind: StoreKind = kind
        self.clock = clock
        self._store: MetricsStore | None = None
        self.recorder = MetricsRecorder(
            self.store, flush_every=self.settings.metrics_flush_seconds, clock=clock
        )

    @property
    def retention(self) -> float:
        """Seconds a minute of metrics is kept."""
        return self.settings.metrics_retention_hours * 3600

    def store(self) -> MetricsStore:
        """The store, opened on first use.

        Raises:
            MetricsDisabledError: ``QUEUE_METRICS_STORE=off``.
        """
        if self._store is None:
            self._store = self.fresh_store(owned=False)
        return self._store

    def fresh_store(self, *, owned: bool = True) -> MetricsStore:
        """A store on connections of its own (for a thread with its own event loop); close it
        with ``aclose()``."""
        if self.kind == "redis":
            return RedisMetricsStore(RedisConnector(self.manager.redis), self.retention, owned=True)
        if self.kind == "database":
            database = (
                DatabaseManager(self.manager.database.settings) if owned else self.manager.database
            )
            return DatabaseMetricsStore(database, self.retention, owned=owned)
        raise MetricsDisabledError("queue metrics are off (QUEUE_METRICS_STORE=off)")

    # -- metrics --------------------------------------------------------------------------------

    async def series(
        self,
        minutes: int = 60,
        *,
        connection: str | None = None,
        queue: str | None = None,
        now: float | None = None,
    ) -> dict[SeriesKey, Tally]:
        """The per-minute tallies of the last ``minutes`` minutes (the current one included)."""
        until = _minute(self.clock() if now is None else now)
        found = await self.store().read(until - (minutes - 1) * 60, until)
        return {
            key: tally
            for key, tally in found.items()
            if (connection is None or key.connection == connection)
            and (queue is None or key.queue == queue)
        }

    async def by_queue(
        self,
        minutes: int = 60,
        *,
        connection: str | None = None,
        queue: str | None = None,
        now: float | None = None,
    ) -> list[MetricsRow]:
        """One row per queue over the last ``minutes`` minutes."""
        found = await self.series(minutes, connection=connection, queue=queue, now=now)
        return _rows(found, minutes, per_job=False)

    async def by_job(
        self,
        minutes: int = 60,
        *,
        connection: str | None = None,
        queue: str | None = None,
        now: float | None = None,
    ) -> list[MetricsRow]:
        """One row per queue and job class over the last ``minutes`` minutes."""
        found = await self.series(minutes, connection=connection, queue=queue, now=now)
        return _rows(found, minutes, per_job=True)

    async def timeline(
        self,
        minutes: int = 60,
        *,
        by: Literal["queue", "job"] = "queue",
        connection: str | None = None,
        queue: str | None = None,
        now: float | None = None,
    ) -> list[TimelinePoint]:
        """Per minute, per queue (or job class): throughput and runtime, for charts."""
        found = await self.series(minutes, connection=connection, queue=queue, now=now)
        grouped: dict[tuple[int, str, str, str | None], Tally] = {}
        for key, tally in found.items():
            job = key.job if by == "job" else None
            grouped.setdefault((key.bucket, key.connection, key.queue, job), Tally()).merge(tally)
        points = []
        for (minute, conn, name, job), tally in grouped.items():
            row = MetricsRow.of(conn, name, job, tally, 1)
            points.append(
                TimelinePoint(
                    minute,
                    conn,
                    name,
                    job,
                    int(row.throughput),
                    row.failed,
                    row.runtime_avg,
                    row.runtime_p95,
                )
            )
        return sorted(points, key=lambda p: (p.minute, p.connection, p.queue, p.job or ""))

    async def overview(self, now: float | None = None) -> Overview:
        """Jobs per minute (over the last five), jobs and failures in the last hour, failures
        in the last seven days."""
        now = self.clock() if now is None else now
        found = await self.series(7 * 24 * 60, now=now)
        hour_start, five_start = _minute(now) - 59 * 60, _minute(now) - 4 * 60
        recent = hour = failed_hour = failed_week = 0
        for key, tally in found.items():
            finished = tally.processed + tally.failed
            failed_week += tally.failed
            if key.bucket >= hour_start:
                hour += finished
                failed_hour += tally.failed
            if key.bucket >= five_start:
                recent += finished
        return Overview(recent / 5, hour, failed_hour, failed_week)

    async def prune(self, now: float | None = None) -> int:
        """Drop minutes older than the retention and workers gone for an hour."""
        return await self.store().prune(self.clock() if now is None else now)

    # -- queues and workers ---------------------------------------------------------------------

    async def queue_sizes(self, connection: str | None = None) -> list[QueueSize]:
        """What every queue of ``connection`` (default: ``QUEUE_CONNECTION``) holds now."""
        driver = self.manager.connection(connection)
        names = set(await driver.queues()) | {driver.default_queue}
        names |= {
            name
            for name, definition in self.manager.defined_queues().items()
            if (definition.connection or self.manager.default_connection) == driver.name
        }
        sizes = []
        for name in sorted(names):
            counts = await driver.counts(name)
            waited = await oldest_wait(driver, name) if counts.pending else None
            sizes.append(
                QueueSize(
                    driver.name, name, counts.pending, counts.reserved, counts.delayed, waited
                )
            )
        return sizes

    async def workers(
        self, *, include_gone: bool = False, now: float | None = None
    ) -> list[WorkerStatus]:
        """Registered workers; those silent for ``QUEUE_WORKER_GONE_AFTER`` seconds are gone
        (listed only with ``include_gone``)."""
        now = self.clock() if now is None else now
        found = []
        for worker in await self.store().workers(now):
            silent = max(0.0, now - worker.heartbeat_at)
            alive = silent <= self.settings.worker_gone_after
            if alive or include_gone:
                found.append(WorkerStatus(worker, alive, silent))
        return found

    async def aclose(self) -> None:
        """Write what the recorder holds and close the store's connections."""
        if self.kind == "off":
            return
        if self.recorder.pending():
            await self.recorder.flush()
        if self._store is None:
            return
        store, self._store = self._store, None
        await store.aclose()
