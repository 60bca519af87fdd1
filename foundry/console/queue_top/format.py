"""Cell formatting shared by the plain-text snapshot and the textual app."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from foundry.console.queue_top.snapshot import FailedLine, QueueLine, Snapshot
from foundry.queue.metrics import WorkerStatus

__all__ = [
    "FAILED_HEADERS",
    "QUEUE_HEADERS",
    "WORKER_HEADERS",
    "duration",
    "failed_cells",
    "queue_cells",
    "summary",
    "worker_cells",
]

QUEUE_HEADERS = (
    "Connection",
    "Queue",
    "Pending",
    "Reserved",
    "Delayed",
    "Oldest wait",
    "Jobs/min",
    "Avg",
    "p95",
    "Failed",
    "Status",
)
WORKER_HEADERS = (
    "Name",
    "Host",
    "PID",
    "Queues",
    "Current job",
    "Jobs done",
    "Memory",
    "Heartbeat",
)
FAILED_HEADERS = ("ID", "Job", "Queue", "Failed at", "Exception")


def duration(seconds: float | None) -> str:
    """``-``, ``12.3 ms``, ``4.56 s``, ``3m 20s`` or ``2h 05m``."""
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 60:
        return f"{seconds:.2f} s"
    if seconds < 3600:
        return f"{int(seconds // 60)}m {int(seconds % 60):02d}s"
    return f"{int(seconds // 3600)}h {int(seconds % 3600 // 60):02d}m"


def queue_cells(line: QueueLine) -> list[str]:
    """The queues table's cells of ``line``."""
    return [
        line.connection,
        line.queue,
        str(line.pending),
        str(line.reserved),
        str(line.delayed),
        duration(line.oldest_wait),
        f"{line.throughput:.2f}",
        duration(line.runtime_avg),
        duration(line.runtime_p95),
        str(line.failed),
        line.status,
    ]


def worker_cells(status: WorkerStatus) -> list[str]:
    """The workers table's cells of ``status``."""
    worker = status.worker
    return [
        worker.name,
        worker.host,
        str(worker.pid),
        ",".join(worker.queues),
        worker.current_job or "-",
        str(worker.jobs_done),
        f"{worker.memory_mb:.0f} MB",
        f"{duration(status.silent_for)} ago",
    ]


def failed_cells(line: FailedLine) -> list[str]:
    """The failed-jobs panel's cells of ``line``."""
    when = datetime.fromtimestamp(line.failed_at, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")
    return [str(line.id), line.job, line.queue, when, line.exception]


def summary(snapshot: Snapshot) -> str:
    """The header line: jobs/min, last hour, failed (7 days), live workers."""
    live = sum(1 for w in snapshot.workers if w.alive)
    clock = time.strftime("%H:%M:%S", time.localtime(snapshot.taken_at))
    if snapshot.overview is None:
        numbers = "Jobs/min -  Last hour -  Failed (7 days) -"
    else:
        o = snapshot.overview
        numbers = (
            f"Jobs/min {o.jobs_per_minute:.2f}  Last hour {o.jobs_last_hour}  "
            f"Failed (7 days) {o.failed_last_7_days}"
        )
    return f"{numbers}  Live workers {live}  Failed jobs {snapshot.failed_total}  {clock}"
