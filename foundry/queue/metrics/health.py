"""``check_health``: what ``queue:health`` decides, for uptime checks.

Unhealthy (exit 1) when, on a checked connection:

- fewer live workers than ``min_workers`` (1 by default) are registered;
- a queue has ready jobs and no live worker works it;
- a queue's oldest ready job has waited longer than ``stuck_after`` seconds.

A queue paused with ``queue:pause`` is listed in ``paused`` (and as a note), never as stuck or
unworked: its jobs are meant to wait.

Workers that stopped heartbeating without leaving the registry (killed, hung, their host gone)
are reported as notes; they fail the check only through the rules above. Connections whose
driver runs jobs in the dispatching process (``sync``, ``memory``) need no worker and are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from foundry.queue.metrics.reports import QueueSize, WorkerStatus
from foundry.queue.metrics.service import QueueMetrics
from foundry.queue.pausing import paused_queues

__all__ = ["HealthReport", "check_health", "checked_connections"]

_IN_PROCESS = ("sync", "memory")


@dataclass(slots=True)
class HealthReport:
    """The verdict, the reasons, and what it looked at."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    queues: list[QueueSize] = field(default_factory=list)
    workers: list[WorkerStatus] = field(default_factory=list)
    #: ``connection:queue`` of the paused queues seen.
    paused: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        """No problem found."""
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "healthy": self.healthy,
            "problems": list(self.problems),
            "notes": list(self.notes),
            "queues": [q.to_dict() for q in self.queues],
            "workers": [w.to_dict() for w in self.workers],
            "paused": list(self.paused),
        }


def checked_connections(metrics: QueueMetrics) -> list[str]:
    """``QUEUE_CONNECTION`` and the connections of defined queues, minus in-process ones."""
    manager = metrics.manager
    names = {manager.default_connection}
    names |= {d.connection for d in manager.defined_queues().values() if d.connection}
    return sorted(n for n in names if manager.connection_config(n).driver not in _IN_PROCESS)


async def check_health(
    metrics: QueueMetrics,
    *,
    connections: Sequence[str] | None = None,
    stuck_after: float | None = None,
    min_workers: int = 1,
) -> HealthReport:
    """Check the queues and workers of ``connections`` (default :func:`checked_connections`)."""
    stuck_after = metrics.settings.health_stuck_after if stuck_after is None else stuck_after
    report = HealthReport()
    everyone = await metrics.workers(include_gone=True)
    for worker in everyone:
        if not worker.alive:
            w = worker.worker
            report.notes.append(
                f"worker {w.name} ({w.host}, pid {w.pid}) on {w.connection} stopped "
                f"heartbeating {worker.silent_for:.0f}s ago"
            )
    for connection in connections if connections is not None else checked_connections(metrics):
        live = [w for w in everyone if w.alive and w.worker.connection == connection]
        report.workers.extend(live)
        if len(live) < min_workers:
            report.problems.append(
                f"connection {connection}: {len(live)} live worker(s), {min_workers} expected"
            )
        sizes = await metrics.queue_sizes(connection)
        paused = await paused_queues(metrics.manager, connection, [s.queue for s in sizes])
        for size in sizes:
            report.queues.append(size)
            if size.queue in paused:
                report.paused.append(f"{connection}:{size.queue}")
                report.notes.append(
                    f"queue {connection}:{size.queue} is paused ({size.pending} job(s) waiting)"
                )
                continue
            if size.pending and not any(w.serves(connection, size.queue) for w in live):
                report.problems.append(
                    f"queue {connection}:{size.queue}: {size.pending} job(s) waiting and no "
                    "live worker works it"
                )
            if size.oldest_wait is not None and size.oldest_wait > stuck_after:
                report.problems.append(
                    f"queue {connection}:{size.queue}: the oldest job has waited "
                    f"{size.oldest_wait:.0f}s (more than {stuck_after:g}s)"
                )
    return report
