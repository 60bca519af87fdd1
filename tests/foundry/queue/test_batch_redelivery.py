"""A batch member delivered again after a worker crash is counted once (at-least-once queues).

The database driver prefetches jobs and deletes finished ones later, so a worker that dies can
leave a finished, counted member to run again. Here that window is reproduced exactly: a
finished member's payload (same uuid) is queued again before the batch's other member runs. The
batch must still wait for the other member, run ``then`` once and keep exact counters, with the
batches in the database (SQLite, PostgreSQL) and in Redis.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import delete, func, select

from foundry.database import DatabaseManager
from foundry.kernel.application import Application
from foundry.queue import Batch, QueueManager, batch
from foundry.queue.batching import BatchRepository, RedisBatchRepository
from foundry.queue.tables import job_batch_jobs, jobs
from foundry.queue.worker import Worker, WorkerOptions
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.queue.batch_samples import PartJob, record_then
from tests.foundry.queue.sample_jobs import Journal


async def work(manager: QueueManager) -> None:
    await Worker(
        manager, None, WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=2)
    ).run()


async def take_rows(database: DatabaseManager) -> list[dict[str, Any]]:
    """The queued jobs' rows, removed from the queue (to be put back one at a time)."""
    async with database.begin() as conn:
        rows = (await conn.execute(select(jobs).order_by(jobs.c.id))).all()
        await conn.execute(delete(jobs))
    return [{k: v for k, v in row._mapping.items() if k != "id"} for row in rows]


async def put_back(database: DatabaseManager, row: dict[str, Any]) -> None:
    async with database.begin() as conn:
        await conn.execute(jobs.insert().values({**row, "reserved_at": None, "attempts": 0}))


async def a_member_run_twice_counts_once_and_then_runs_once(app: Application) -> None:
    manager = app.container.make(QueueManager)
    database = app.container.make(DatabaseManager)
    batch_id = await batch([PartJob(0), PartJob(1)]).then(record_then).dispatch()
    first, second = await take_rows(database)

    await put_back(database, first)
    await work(manager)
    await put_back(database, first)  # finished and counted, delivered again after a crash
    await work(manager)

    assert Journal.of("part") == [0, 0]
    waiting = await Batch.find(batch_id)
    assert waiting is not None
    assert (waiting.pending_jobs, waiting.processed_jobs, waiting.finished()) == (1, 1, False)
    assert Journal.of("then") == []  # the batch still waits for its second member

    await put_back(database, second)
    await work(manager)
    await put_back(database, second)
    await work(manager)

    done = await Batch.find(batch_id)
    assert done is not None
    assert (done.pending_jobs, done.failed_jobs, done.processed_jobs) == (0, 0, 2)
    assert done.finished() and Journal.of("then") == [batch_id]

    repository = app.container.make(BatchRepository)
    assert await repository.prune(time.time() + 60) == 1
    async with database.connect() as conn:
        left = (await conn.execute(select(func.count()).select_from(job_batch_jobs))).scalar()
    assert left == 0  # pruning forgets the members too
    if isinstance(repository, RedisBatchRepository):
        assert await repository.client.keys(f"{repository.connector.prefix}*") == []


async def test_on_the_database(make_application: MakeApplication, database_url: str) -> None:
    await migrate_database(database_url)
    await a_member_run_twice_counts_once_and_then_runs_once(
        make_application(DATABASE_URL=database_url)
    )


async def test_with_batches_on_redis(
    make_application: MakeApplication, database_url: str, redis_url: str, redis_prefix: str
) -> None:
    await migrate_database(database_url)
    app = make_application(
        DATABASE_URL=database_url,
        QUEUE_BATCHING="redis",
        REDIS_URL=redis_url,
        REDIS_PREFIX=redis_prefix,
    )
    await a_member_run_twice_counts_once_and_then_runs_once(app)
