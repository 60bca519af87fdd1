"""Helpers of the Overview/Metrics/Workers tests: a known workload run by the in-process worker,
and worker heartbeats written to the real metrics store."""

from __future__ import annotations

import time
from pathlib import Path

from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.queue.metrics import QueueMetrics, WorkerInfo
from foundry.queue.worker import Worker, WorkerOptions
from tests.foundry.queue.sample_jobs import FlakyJob, SleepJob

__all__ = ["beat", "run_workload"]


async def run_workload(app: Application, out: Path) -> None:
    """6 quick sleeps on ``default`` and 2 jobs on ``emails`` that fail their 3 tries, worked
    by the in-process worker of the default connection until the queues are empty."""
    for index in range(6):
        await SleepJob(f"s{index}", 0.01, str(out)).dispatch()
    for _ in range(2):
        await FlakyJob(99).on_queue("emails").dispatch()
    manager = app.container.make(QueueManager)
    options = WorkerOptions(
        queues=["default", "emails"], memory=0, stop_when_empty=True, sleep=0, timeout=2
    )
    assert await Worker(manager, manager.default_connection, options).run() == 0


async def beat(
    app: Application,
    name: str,
    queues: tuple[str, ...],
    *,
    silent_for: float = 0.0,
    current_job: str | None = None,
) -> WorkerInfo:
    """Register a worker in the metrics store as a worker process does, its last heartbeat
    ``silent_for`` seconds ago."""
    metrics = app.container.make(QueueMetrics)
    now = time.time()
    worker = WorkerInfo(
        id=f"host-1:{4000 + len(name)}:{name}",
        name=name,
        connection=metrics.manager.default_connection,
        host="host-1",
        pid=4000 + len(name),
        queues=queues,
        current_job=current_job,
        jobs_done=7,
        memory_mb=48.25,
        started_at=now - 600,
        heartbeat_at=now - silent_for,
    )
    await metrics.store().beat(worker)
    return worker
