"""One read of everything ``queue:top`` shows, and the retry actions it offers."""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from foundry.queue.failed import FailedJob
from foundry.queue.manager import QueueManager
from foundry.queue.metrics import MetricsRow, Overview, QueueMetrics, QueueSize, WorkerStatus
from foundry.queue.retry import RetryRefused, retry_failed

__all__ = [
    "FailedLine",
    "QueueLine",
    "QueueStatus",
    "Snapshot",
    "SnapshotSource",
    "read_snapshot",
]

T = TypeVar("T")

QueueStatus = Literal["running", "no workers", "idle"]


@dataclass(frozen=True, slots=True)
class QueueLine:
    """One row of the queues table: sizes now, metrics over the window, failures stored."""

    connection: str
    queue: str
    pending: int
    reserved: int
    delayed: int
    oldest_wait: float | None
    throughput: float
    runtime_avg: float | None
    runtime_p95: float | None
    failed: int
    #: ``running`` (a live worker works it), ``no workers`` (jobs wait, nobody works them)
    #: or ``idle`` (nothing waits and nobody works it).
    status: QueueStatus


@dataclass(frozen=True, slots=True)
class FailedLine:
    """One row of the failed-jobs panel."""

    id: int
    uuid: str
    job: str
    connection: str
    queue: str
    failed_at: float
    #: The stored exception's headline (``Type: message``, the traceback's last line).
    exception: str


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything on screen at one refresh; a part that could not be read is empty and its
    reason is in :attr:`errors`."""

    taken_at: float
    overview: Overview | None
    queues: list[QueueLine]
    workers: list[WorkerStatus]
    failed: list[FailedLine]
    failed_total: int
    errors: list[str] = field(default_factory=list)


def _job_name(payload: str) -> str:
    try:
        data = json.loads(payload)
        return str(data.get("display_name") or data.get("job"))
    except (ValueError, AttributeError):
        return "(unreadable payload)"


def _headline(exception: str) -> str:
    # The column holds the traceback; its last line is the exception's ``Type: message``.
    lines = exception.strip().splitlines()
    return lines[-1].strip()[:200] if lines else ""


def _status(size: QueueSize, workers: list[WorkerStatus]) -> QueueStatus:
    if any(w.alive and w.serves(size.connection, size.queue) for w in workers):
        return "running"
    return "no workers" if size.pending or size.reserved else "idle"


def _matches(queue: str, queue_filter: str | None) -> bool:
    return not queue_filter or queue_filter.lower() in queue.lower()


async def _guard(errors: list[str], what: str, read: Callable[[], Awaitable[T]], empty: T) -> T:
    # A dashboard must outlive its stores: a down Redis or database becomes a line on screen.
    try:
        return await read()
    except Exception as exc:  # noqa: BLE001 - any driver error means "unreachable"
        reason = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
        errors.append(f"{what} unreachable: {type(exc).__name__}{': ' if reason else ''}{reason}")
        return empty


async def read_snapshot(
    manager: QueueManager,
    metrics: QueueMetrics,
    *,
    queue_filter: str | None = None,
    minutes: int = 60,
    failed_limit: int = 20,
) -> Snapshot:
    """Read sizes, metrics, workers and failed jobs; never raises for an unreachable store.

    Args:
        manager: the queue manager (connections and the failed-job store).
        metrics: the metrics read API.
        queue_filter: only queues whose name contains this (case-insensitive).
        minutes: the window of throughput and runtimes.
        failed_limit: how many of the most recent failed jobs to list.
    """
    errors: list[str] = []
    overview = await _guard(errors, "metrics store", metrics.overview, None)
    rows: list[MetricsRow] = await _guard(
        errors, "metrics store", lambda: metrics.by_queue(minutes), []
    )
    workers: list[WorkerStatus] = await _guard(errors, "metrics store", metrics.workers, [])
    connections = {manager.default_connection} | {r.connection for r in rows}
    connections |= {w.worker.connection for w in workers}
    sizes: list[QueueSize] = []
    for name in sorted(connections):
        sizes += await _guard(errors, f"queue [{name}]", lambda: metrics.queue_sizes(name), [])
    store = manager.failed_store()
    failed_jobs: list[FailedJob] = await _guard(errors, "failed jobs", store.all, [])

    failed_counts: dict[tuple[str, str], int] = {}
    for job in failed_jobs:
        key = (job.connection, job.queue)
        failed_counts[key] = failed_counts.get(key, 0) + 1
    by_key = {(r.connection, r.queue): r for r in rows}
    known = {(s.connection, s.queue): s for s in sizes}
    for key in list(by_key) + list(failed_counts):
        known.setdefault(key, QueueSize(key[0], key[1], 0, 0, 0, None))
    queues = []
    for key, size in sorted(known.items()):
        if not _matches(size.queue, queue_filter):
            continue
        row = by_key.get(key)
        queues.append(
            QueueLine(
                size.connection,
                size.queue,
                size.pending,
                size.reserved,
                size.delayed,
                size.oldest_wait,
                row.throughput if row else 0.0,
                row.runtime_avg if row else None,
                row.runtime_p95 if row else None,
                failed_counts.get(key, 0),
                _status(size, workers),
            )
        )
    shown = [
        w
        for w in workers
        if not queue_filter or any(_matches(q, queue_filter) for q in w.worker.queues)
    ]
    recent = sorted(failed_jobs, key=lambda j: (j.failed_at, j.id), reverse=True)
    failed = [
        FailedLine(
            j.id,
            j.uuid,
            _job_name(j.payload),
            j.connection,
            j.queue,
            j.failed_at,
            _headline(j.exception),
        )
        for j in recent
        if _matches(j.queue, queue_filter)
    ]
    return Snapshot(
        time.time(),
        overview,
        queues,
        shown,
        failed[:failed_limit],
        len(failed),
        list(dict.fromkeys(errors)),
    )


class SnapshotSource:
    """What the dashboard reads and does, bound to one booted application."""

    def __init__(self, manager: QueueManager, metrics: QueueMetrics, failed_limit: int = 20):
        """
        Args:
            manager: the queue manager.
            metrics: the metrics read API.
            failed_limit: how many failed jobs the panel lists.
        """
        self.manager = manager
        self.metrics = metrics
        self.failed_limit = failed_limit

    async def read(self, queue_filter: str | None = None) -> Snapshot:
        """A fresh :class:`Snapshot` (see :func:`read_snapshot`)."""
        return await read_snapshot(
            self.manager, self.metrics, queue_filter=queue_filter, failed_limit=self.failed_limit
        )

    async def retry(self, uuid: str) -> str:
        """Retry one failed job with ``queue:retry``'s logic; returns what to tell the user."""
        failed = await self.manager.failed_store().find(uuid)
        if failed is None:
            return f"No failed job matches [{uuid}]."
        try:
            await retry_failed(self.manager, failed)
        except RetryRefused as exc:
            return str(exc)
        return f"Retried {_job_name(failed.payload)} [{uuid}] on [{failed.queue}]."

    async def retry_all(self, queue_filter: str | None = None) -> str:
        """Retry every failed job (of the queues ``queue_filter`` matches)."""
        retried = refused = 0
        for failed in await self.manager.failed_store().all():
            if not _matches(failed.queue, queue_filter):
                continue
            try:
                await retry_failed(self.manager, failed)
            except RetryRefused:
                refused += 1
                continue
            retried += 1
        suffix = f", {refused} refused (unreadable or unsigned payload)" if refused else ""
        return f"Retried {retried} failed job(s){suffix}."
