"""Nesting (Laravel's): a batch as a link of a chain, and chains as members of a batch.

Each scenario runs on the database queue with batches in the database (SQLite, PostgreSQL) and
in Redis: the next link waits for the whole batch, a failure the batch does not allow stops the
chain and runs its catch once, and a chain in a batch counts each link, so the batch finishes
only after the chain's last link.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select

from foundry.database import DatabaseManager
from foundry.kernel.application import Application
from foundry.queue import Batch, QueueManager, batch, chain
from foundry.queue.batching import BatchRepository
from foundry.queue.tables import jobs
from foundry.queue.worker import Worker, WorkerOptions
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.queue.batch_samples import record_catch, record_then
from tests.foundry.queue.chain_jobs import (
    BatchStepJob,
    BrokenBatchStepJob,
    StepJob,
    record_failure,
)
from tests.foundry.queue.sample_jobs import Journal

Scenario = Callable[[Application], Awaitable[None]]


async def work(manager: QueueManager) -> None:
    options = WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=2, tries=1)
    await Worker(manager, "database", options).run()


async def the_batch(app: Application) -> Batch:
    [found] = await app.container.make(BatchRepository).recent()
    return found


async def next_link_waits_for_the_whole_batch(app: Application) -> None:
    manager = app.container.make(QueueManager)
    inner = batch([BatchStepJob("b1"), BatchStepJob("b2")]).name("Middle").then(record_then)
    await chain([StepJob("a"), inner, StepJob("c")]).catch(record_failure).dispatch()

    await work(manager)

    steps = Journal.of("step")
    assert steps[0] == "a" and sorted(steps[1:3]) == ["b1", "b2"] and steps[3:] == ["c"]
    middle = await the_batch(app)
    assert (middle.name, middle.total_jobs, middle.pending_jobs) == ("Middle", 2, 0)
    assert Journal.of("then") == [middle.id] and Journal.of("caught") == []


async def a_failing_member_stops_the_chain_and_catches_once(app: Application) -> None:
    manager = app.container.make(QueueManager)
    inner = batch([BatchStepJob("b1"), BrokenBatchStepJob("b2")])
    await chain([StepJob("a"), inner, StepJob("c")]).name("Nested").catch(record_failure).dispatch()

    await work(manager)

    assert "c" not in Journal.of("step")
    middle = await the_batch(app)
    assert middle.cancelled() and middle.failed_jobs == 1
    [failure] = Journal.of("caught")
    assert (failure.chain_name, failure.link_index) == ("Nested", 1)
    assert failure.job_id == middle.failed_job_ids[0]


async def a_chain_member_finishes_the_batch_after_its_last_link(app: Application) -> None:
    manager = app.container.make(QueueManager)
    batch_id = await (
        batch([BatchStepJob("solo"), [BatchStepJob("x"), BatchStepJob("y")]])
        .then(StepJob("then"))
        .dispatch()
    )
    assert (await the_batch(app)).total_jobs == 3  # as Laravel: each link is a job

    await work(manager)

    steps = Journal.of("step")
    assert steps.count("then") == 1 and steps[-1] == "then"
    assert steps.index("x") < steps.index("y")
    done = await the_batch(app)
    assert done.id == batch_id and done.finished() and done.pending_jobs == 0


async def a_failing_link_fails_the_batch_once(app: Application) -> None:
    manager = app.container.make(QueueManager)
    member = chain([BatchStepJob("x"), BrokenBatchStepJob("y"), BatchStepJob("z")])
    await batch([member, BatchStepJob("solo")]).catch(record_catch).dispatch()

    await work(manager)

    assert "z" not in Journal.of("step")
    failed = await the_batch(app)
    assert (failed.total_jobs, failed.failed_jobs, len(failed.failed_job_ids)) == (4, 1, 1)
    assert failed.cancelled() and Journal.of("catch") == [failed.id]


async def a_batch_link_run_twice_dispatches_its_batch_once(app: Application) -> None:
    manager = app.container.make(QueueManager)
    database = app.container.make(DatabaseManager)
    await chain([batch([BatchStepJob("b1"), BatchStepJob("b2")]), StepJob("c")]).dispatch()
    async with database.connect() as conn:
        [link] = (await conn.execute(select(jobs))).all()

    await work(manager)
    async with database.begin() as conn:  # delivered again after a crash (at least once)
        await conn.execute(jobs.insert().values({**link._mapping, "reserved_at": None}))
    await work(manager)

    assert sorted(Journal.of("step")) == ["b1", "b2", "c"]
    assert (await the_batch(app)).processed_jobs == 2


SCENARIOS = [
    next_link_waits_for_the_whole_batch,
    a_failing_member_stops_the_chain_and_catches_once,
    a_chain_member_finishes_the_batch_after_its_last_link,
    a_failing_link_fails_the_batch_once,
    a_batch_link_run_twice_dispatches_its_batch_once,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
async def test_with_batches_in_the_database(
    make_application: MakeApplication, database_url: str, scenario: Scenario
) -> None:
    await migrate_database(database_url)
    await scenario(make_application(DATABASE_URL=database_url))


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
async def test_with_batches_in_redis(
    make_application: MakeApplication,
    database_url: str,
    redis_url: str,
    redis_prefix: str,
    scenario: Scenario,
) -> None:
    await migrate_database(database_url)
    settings = {"QUEUE_BATCHING": "redis", "REDIS_URL": redis_url, "REDIS_PREFIX": redis_prefix}
    await scenario(make_application(DATABASE_URL=database_url, **settings))
