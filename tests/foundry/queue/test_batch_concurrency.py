"""1,000 jobs of one batch on two worker processes: exact counters, each callback once.

Ten of the jobs fail while a marker file exists. After both workers drain the queue the batch
must show exactly ten failed (and, as in Laravel, ten still pending), ``catch`` and ``finally``
must each have run once and ``then`` not at all. Then the marker goes, ``retry_batch`` re-queues
the ten, two workers run them, and the batch must be finished with ``then`` run once: the last
two jobs finishing on two workers at the same instant cannot double a callback, because each
worker decides from the counters its own atomic update returned. PostgreSQL with the database
driver and repository; Redis with the redis driver and the Redis repository.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from pathlib import Path
from subprocess import Popen

import pytest

from foundry.kernel.application import Application
from foundry.queue import Batch, QueueManager, batch
from foundry.queue.batching import retry_batch
from tests.conftest import MakeApplication
from tests.foundry.queue.batch_samples import NoteJob, PartJob
from tests.foundry.queue.processes import kill_group, start_worker

JOBS = 1000
FAILING = 10
WORKERS = 2


def start_workers(env: dict[str, str], connection: str, log: Path) -> list[Popen[bytes]]:
    args = (connection, "--sleep", "0.05", "--timeout", "10")
    return [start_worker(env, log, *args) for _ in range(WORKERS)]


def stop_workers(workers: list[Popen[bytes]], log: Path) -> None:
    """SIGTERM (each finishes its job); a worker that hangs is killed and the test fails."""
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    try:
        codes = [worker.wait(60) for worker in workers]
    except subprocess.TimeoutExpired:
        pytest.fail(f"a worker did not stop: {log.read_text()[-3000:]}")
    finally:
        for worker in workers:
            if worker.poll() is None:
                kill_group(worker)
    assert codes == [0] * WORKERS, log.read_text()[-3000:]


def callbacks_run(path: Path) -> list[str]:
    return sorted(path.read_text(encoding="utf-8").split()) if path.exists() else []


async def settled(batch_id: str, notes: Path, pending: int, callbacks: list[str]) -> Batch:
    """Poll until the batch has ``pending`` jobs left and ``callbacks`` ran (or 120 s pass)."""
    deadline = time.monotonic() + 120
    while True:
        found = await Batch.find(batch_id)
        assert found is not None
        if (
            found.pending_jobs == pending and callbacks_run(notes) == callbacks
        ) or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.1)


async def run_batch(app: Application, env: dict[str, str], connection: str, tmp: Path) -> None:
    manager = app.container.make(QueueManager)
    marker, notes, log = tmp / "fail", tmp / "callbacks.txt", tmp / "workers.log"
    marker.touch()
    parts = [PartJob(n, str(marker) if n % (JOBS // FAILING) == 7 else None) for n in range(JOBS)]
    batch_id = await (
        batch(parts)
        .name("concurrency")
        .allow_failures()
        .then(NoteJob("then", str(notes)))
        .catch(NoteJob("catch", str(notes)))
        .finally_(NoteJob("finally", str(notes)))
        .dispatch()
    )
    workers = start_workers(env, connection, log)
    try:
        ran = await settled(batch_id, notes, FAILING, ["catch", "finally"])
        marker.unlink()
        outcome = await retry_batch(manager, ran)
        done = await settled(batch_id, notes, 0, ["catch", "finally", "then"])
    finally:
        stop_workers(workers, log)

    assert (ran.total_jobs, ran.pending_jobs, ran.failed_jobs) == (JOBS, FAILING, FAILING)
    assert len(set(ran.failed_job_ids)) == FAILING
    assert ran.finished_at is None and not ran.cancelled()
    assert len(outcome.retried) == FAILING and not outcome.problems
    assert (done.pending_jobs, done.failed_jobs, done.failed_job_ids) == (0, FAILING, [])
    assert done.finished_at is not None and done.progress() == 100
    # Exactly once each, and no second copy still waiting on the queue.
    assert callbacks_run(notes) == ["catch", "finally", "then"]
    assert await manager.size() == 0


@pytest.fixture
def worker_retry_after() -> str:
    return "30"  # a 1,000-job batch: no job is handed to a second worker while it runs


async def test_database_batch_counts_exactly_with_two_workers(
    make_application: MakeApplication, worker_env: dict[str, str], tmp_path: Path
) -> None:
    if worker_env["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("runs on PostgreSQL: SQLite lets one writer at a time in anyway")
    app = make_application(**worker_env)
    await run_batch(app, worker_env, "database", tmp_path)


async def test_redis_batch_counts_exactly_with_two_workers(
    make_application: MakeApplication,
    redis_worker_env: dict[str, str],
    tmp_path: Path,
) -> None:
    if not redis_worker_env["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("once is enough: the database only holds failed_jobs here")
    env = {**redis_worker_env, "QUEUE_BATCHING": "redis"}
    app = make_application(**env)
    await run_batch(app, env, "redis", tmp_path)
