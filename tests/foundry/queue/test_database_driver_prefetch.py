"""The database worker's prefetch: jobs reserved several at a time, deletes written together.

No job runs twice when two workers reserve batches from one queue; a stopping worker gives its
prefetched, unstarted jobs back at once (not after ``retry_after``), uncounted; finished jobs
are gone from the table when the worker exits.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from foundry.jobs.job import Job
from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.queue.tables import jobs
from foundry.queue.worker import Worker, WorkerOptions
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.queue.processes import kill_group, labels_in, start_worker, wait_for
from tests.foundry.queue.sample_jobs import Journal, RecordJob, SleepJob

#: The worker a :class:`StopWorkerJob` stops (set by the test that runs one).
RUNNING: list[Worker] = []


class StopWorkerJob(Job):
    """Tells the worker running it to stop, as SIGTERM does."""

    async def handle(self) -> None:
        Journal.add("ran", "stop")
        RUNNING[0].stop()


async def test_two_workers_never_run_a_job_twice(
    make_application: MakeApplication, database_url: str, tmp_path: Path
) -> None:
    await migrate_database(database_url)
    env = {
        "DATABASE_URL": database_url,
        "QUEUE_RETRY_AFTER": "60",  # no redelivery: a second run could only be a double reserve
        "QUEUE_PREFETCH": "16",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    app: Application = make_application(**env)
    out = tmp_path / "done.txt"
    count = 400
    await app.container.make(QueueManager).bulk(
        [SleepJob(f"job-{i}", 0, str(out)) for i in range(count)]
    )
    args = ("--stop-when-empty", "--sleep", "0", "--timeout", "5", "--memory", "0")
    log = tmp_path / "worker.log"
    workers = [start_worker(env, log, *args) for _ in range(2)]
    try:
        assert wait_for(lambda: all(w.poll() is not None for w in workers), 120), log.read_text()
        assert [w.returncode for w in workers] == [0, 0], log.read_text()
    finally:
        for worker in workers:
            kill_group(worker)
    labels = labels_in(out)
    assert len(labels) == count  # each once: no job was handed to both workers
    assert set(labels) == {f"job-{i}" for i in range(count)}
    assert await app.container.make(QueueManager).size() == 0


async def test_a_stopping_worker_gives_its_prefetched_jobs_back_at_once(
    manager: QueueManager,
) -> None:
    # Batches grow 1, 2, 4, 8 for quick jobs: the stop job is the 11th, in the batch of 8, so
    # the worker holds the 12th to the 15th, unstarted, when it stops.
    await manager.bulk([RecordJob(f"before-{i}") for i in range(10)])
    await StopWorkerJob().dispatch()
    await manager.bulk([RecordJob(f"after-{i}") for i in range(9)])
    worker = Worker(manager, "database", WorkerOptions(memory=0, sleep=0, timeout=2))
    RUNNING[:] = [worker]
    await worker.run()
    assert Journal.of("ran") == [*(f"before-{i}" for i in range(10)), "stop"]

    counts = await manager.connection().counts("default")
    assert (counts.pending, counts.reserved) == (9, 0)  # none waits out retry_after
    engine = manager.connection().database.engine  # type: ignore[attr-defined]  # database driver
    async with engine.connect() as connection:
        attempts = (await connection.execute(select(jobs.c.attempts))).scalars().all()
    assert attempts == [0] * 9  # given back uncounted: never started

    # Another worker takes them at once, and each job has run exactly once.
    await Worker(
        manager, "database", WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=2)
    ).run()
    ran = Journal.of("ran")
    assert sorted(ran) == sorted(
        [*(f"before-{i}" for i in range(10)), "stop", *(f"after-{i}" for i in range(9))]
    )
    assert await manager.size() == 0


async def test_max_jobs_never_reserves_beyond_what_it_runs(manager: QueueManager) -> None:
    await manager.bulk([RecordJob(f"j{i}") for i in range(30)])
    worker = Worker(manager, "database", WorkerOptions(memory=0, sleep=0, timeout=2, max_jobs=12))
    await worker.run()
    assert len(Journal.of("ran")) == 12
    counts = await manager.connection().counts("default")
    assert (counts.pending, counts.reserved) == (18, 0)


async def test_a_job_that_waited_too_long_in_the_buffer_is_given_back(
    manager: QueueManager,
) -> None:
    await manager.bulk([RecordJob(f"j{i}") for i in range(5)])
    worker = Worker(manager, "database", WorkerOptions(memory=0, sleep=0, timeout=2))
    prefetch = worker.prefetch
    first = await prefetch.next(room=5)
    prefetch.ran(0.001)
    second = await prefetch.next(room=5)  # a batch of two: j2 is held
    assert first is not None and second is not None and prefetch.held == 1
    prefetch.max_age = 0.0  # from now on every held job has waited too long
    third = await prefetch.next(room=5)
    # j2 went back uncounted and was reserved afresh: one attempt, a new reservation.
    assert third is not None
    payloads = [job.payload for job in (first, second, third)]
    assert ['"j0"' in payloads[0], '"j1"' in payloads[1], '"j2"' in payloads[2]] == [True] * 3
    assert third.attempts == 1
    assert prefetch.held == 0
    counts = await manager.connection().counts("default")
    assert (counts.pending, counts.reserved) == (2, 3)
