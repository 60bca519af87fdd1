"""Job metrics after a known workload, on the database store and on Redis."""

from __future__ import annotations

from pathlib import Path

import pytest

from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.queue.metrics import RELATIVE_ERROR, MetricsRow, QueueMetrics
from foundry.queue.worker import Worker, WorkerOptions
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.queue.processes import start_worker
from tests.foundry.queue.sample_jobs import FlakyJob, SleepJob

SHORT, LONG = 0.01, 0.06
#: Slack above a sleep: an event loop on a busy machine wakes late, never early.
LATE = 0.03


async def dispatch_workload(out: Path) -> None:
    """14 short and 6 long sleeps on ``default``; 5 jobs on ``emails`` that fail 3 times each."""
    for index in range(20):
        await SleepJob(f"s{index}", SHORT if index < 14 else LONG, str(out)).dispatch()
    for _ in range(5):
        await FlakyJob(99).on_queue("emails").dispatch()


def near(value: float | None, expected: float) -> bool:
    assert value is not None
    return expected * (1 - RELATIVE_ERROR) <= value <= expected * (1 + RELATIVE_ERROR) + LATE


def check(queues: list[MetricsRow], jobs: list[MetricsRow], connection: str) -> None:
    by_queue = {row.queue: row for row in queues}
    assert set(by_queue) == {"default", "emails"}
    assert by_queue["default"].processed == 20 and by_queue["default"].failed == 0
    assert by_queue["emails"].processed == 0 and by_queue["emails"].failed == 5
    assert by_queue["emails"].released == 10
    assert all(row.connection == connection for row in queues + jobs)
    by_job = {row.job: row for row in jobs}
    sleep, flaky = by_job["SleepJob"], by_job["FlakyJob"]
    assert (sleep.queue, sleep.processed, sleep.failed) == ("default", 20, 0)
    assert (flaky.queue, flaky.processed, flaky.failed, flaky.released) == ("emails", 0, 5, 10)
    # 14 of 20 runs sleep SHORT: the median is one of them; the 19th of 20 sleeps LONG.
    assert near(sleep.runtime_p50, SHORT) and near(sleep.runtime_p95, LONG)
    assert sleep.runtime_avg is not None and sleep.runtime_max is not None
    assert (14 * SHORT + 6 * LONG) / 20 <= sleep.runtime_avg <= sleep.runtime_max
    assert sleep.runtime_max >= LONG
    assert sleep.wait_avg is not None and sleep.wait_avg >= 0
    assert flaky.wait_avg is not None
    assert sleep.throughput == pytest.approx(20 / 60)
    assert flaky.runtime_avg is not None  # every attempt ran handle, failed ones too


async def test_database_store_after_a_known_workload(
    make_application: MakeApplication, database_url: str, tmp_path: Path
) -> None:
    await migrate_database(database_url)
    app: Application = make_application(
        DATABASE_URL=database_url, QUEUE_METRICS_STORE="database", QUEUE_RETRY_AFTER="5"
    )
    manager = app.container.make(QueueManager)
    await dispatch_workload(tmp_path / "out.txt")
    options = WorkerOptions(
        queues=["default", "emails"], memory=0, stop_when_empty=True, sleep=0, timeout=2
    )
    assert await Worker(manager, "database", options).run() == 0

    metrics = app.container.make(QueueMetrics)
    assert metrics.kind == "database"
    check(await metrics.by_queue(60), await metrics.by_job(60), "database")
    only = await metrics.by_job(60, queue="emails")
    assert [row.job for row in only] == ["FlakyJob"]
    overview = await metrics.overview()
    assert (overview.jobs_last_hour, overview.failed_last_hour) == (25, 5)
    assert overview.failed_last_7_days == 5 and overview.jobs_per_minute == 25 / 5
    points = await metrics.timeline(60, by="job")
    assert sum(p.throughput for p in points if p.job == "SleepJob") == 20


async def test_redis_store_after_a_known_workload_worked_by_rq(
    make_application: MakeApplication, redis_url: str, rq_prefix: str, tmp_path: Path
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'failed.sqlite'}"
    await migrate_database(database_url)
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": rq_prefix,
        "QUEUE_CONNECTION": "redis",
        "QUEUE_RETRY_AFTER": "5",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    app: Application = make_application(**env)
    await dispatch_workload(tmp_path / "out.txt")
    log = tmp_path / "w.log"
    worker = start_worker(
        env, log, "--stop-when-empty", "--timeout", "3", "--queue", "default,emails"
    )
    assert worker.wait(60) == 0, log.read_text()

    metrics = app.container.make(QueueMetrics)
    assert metrics.kind == "redis"  # auto: the default connection is on Redis
    check(await metrics.by_queue(60), await metrics.by_job(60), "redis")
    assert await metrics.workers(include_gone=True) == []  # it left the registry on exit
