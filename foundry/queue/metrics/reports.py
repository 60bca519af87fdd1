"""What :class:`~foundry.queue.metrics.service.QueueMetrics` reads return (JSON-ready)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from foundry.queue.metrics.histogram import percentile
from foundry.queue.metrics.store import WorkerInfo
from foundry.queue.metrics.tally import Tally

__all__ = ["MetricsRow", "Overview", "QueueSize", "TimelinePoint", "WorkerStatus"]


@dataclass(frozen=True, slots=True)
class MetricsRow:
    """The numbers of one queue (``job`` is ``None``) or one job class over a window.

    Times are seconds; ``None`` when nothing was measured. ``throughput`` is finished jobs
    (processed and failed) per minute of the window.
    """

    connection: str
    queue: str
    job: str | None
    processed: int
    failed: int
    released: int
    throughput: float
    runtime_avg: float | None
    runtime_p50: float | None
    runtime_p95: float | None
    runtime_max: float | None
    wait_avg: float | None

    @classmethod
    def of(
        cls, connection: str, queue: str, job: str | None, tally: Tally, minutes: float
    ) -> MetricsRow:
        """The row of ``tally``, added up over ``minutes``."""
        measured = tally.runtime_count > 0
        return cls(
            connection=connection,
            queue=queue,
            job=job,
            processed=tally.processed,
            failed=tally.failed,
            released=tally.released,
            throughput=(tally.processed + tally.failed) / minutes if minutes > 0 else 0.0,
            runtime_avg=tally.runtime_sum / tally.runtime_count if measured else None,
            runtime_p50=percentile(tally.bins, 0.50, tally.runtime_max),
            runtime_p95=percentile(tally.bins, 0.95, tally.runtime_max),
            runtime_max=tally.runtime_max if measured else None,
            wait_avg=tally.wait_sum / tally.wait_count if tally.wait_count else None,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """One minute of one queue (or job class), for charts."""

    minute: int
    connection: str
    queue: str
    job: str | None
    throughput: int
    failed: int
    runtime_avg: float | None
    runtime_p95: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Overview:
    """The headline numbers of a dashboard."""

    jobs_per_minute: float
    jobs_last_hour: int
    failed_last_hour: int
    #: Within the retention (``QUEUE_METRICS_RETENTION_HOURS``, 7 days by default).
    failed_last_7_days: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class QueueSize:
    """What one queue holds now, and how long its oldest ready job has waited."""

    connection: str
    queue: str
    pending: int
    reserved: int
    delayed: int
    oldest_wait: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class WorkerStatus:
    """A registered worker and whether it is alive (heartbeat younger than the gone-after)."""

    worker: WorkerInfo
    alive: bool
    #: Seconds since its last heartbeat.
    silent_for: float

    def serves(self, connection: str, queue: str) -> bool:
        """Whether this worker works ``queue`` of ``connection``."""
        return self.worker.connection == connection and queue in self.worker.queues

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (the worker's, plus ``alive`` and ``silent_for``)."""
        return self.worker.to_dict() | {"alive": self.alive, "silent_for": self.silent_for}
