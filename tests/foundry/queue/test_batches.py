"""Batches on the database driver, a worker in this process: counters, callbacks, cancelling,
adding jobs, retrying, and the dispatch-time checks (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from foundry.database import DatabaseManager
from foundry.queue import Batch, QueueManager, batch
from foundry.queue.batching import BatchRepository, InvalidBatchCallbackError, retry_batch
from foundry.queue.tables import jobs
from foundry.queue.worker import Worker, WorkerOptions
from tests.foundry.queue.batch_samples import (
    GrowingJob,
    PartJob,
    PoliteJob,
    ProgressNoteJob,
    UniquePartJob,
    record_catch,
    record_finally,
    record_then,
)
from tests.foundry.queue.sample_jobs import Journal, RecordJob


async def work(manager: QueueManager) -> None:
    await Worker(
        manager, None, WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=2)
    ).run()


async def found(batch_id: str) -> Batch:
    stored = await Batch.find(batch_id)
    assert stored is not None
    return stored


async def test_a_batch_that_succeeds_runs_then_and_finally_once(manager: QueueManager) -> None:
    pending = batch([PartJob(n) for n in range(5)]).name("Data Processing")
    batch_id = (
        await pending.then(record_then).catch(record_catch).finally_(record_finally).dispatch()
    )
    before = await found(batch_id)
    assert (before.name, before.total_jobs, before.pending_jobs, before.progress()) == (
        "Data Processing",
        5,
        5,
        0,
    )
    assert not before.finished()

    await work(manager)

    after = await found(batch_id)
    assert sorted(Journal.of("part")) == [0, 1, 2, 3, 4]
    assert (after.pending_jobs, after.failed_jobs, after.processed_jobs) == (0, 0, 5)
    assert after.progress() == 100 and after.finished() and not after.cancelled()
    assert Journal.of("then") == [batch_id]
    assert Journal.of("finally") == [batch_id]
    assert Journal.of("catch") == []


async def test_member_payloads_carry_the_batch_id(manager: QueueManager, queue_app: object) -> None:
    batch_id = await batch([PartJob(1), PartJob(2)]).on_queue("imports").dispatch()
    database = manager.database
    assert isinstance(database, DatabaseManager)
    async with database.connect() as conn:
        rows = (await conn.execute(select(jobs.c.queue, jobs.c.payload))).all()
    assert [row.queue for row in rows] == ["imports", "imports"]
    assert {json.loads(row.payload)["batch_id"] for row in rows} == {batch_id}


async def test_the_first_failure_cancels_the_batch_and_runs_catch_once(
    manager: QueueManager, tmp_path: Path
) -> None:
    marker = tmp_path / "fail"
    marker.touch()
    parts = [PartJob(0), PartJob(1, str(marker)), PartJob(2, str(marker)), PartJob(3)]
    batch_id = (
        await batch(parts).then(record_then).catch(record_catch).finally_(record_finally).dispatch()
    )

    await work(manager)

    after = await found(batch_id)
    assert after.cancelled() and after.finished()
    # Laravel's counting: a failed job stays pending until a retry of it succeeds.
    assert (after.failed_jobs, after.pending_jobs) == (2, 2)
    failed = {f.uuid for f in await manager.failed_store().all()}
    assert set(after.failed_job_ids) == failed and len(failed) == 2
    assert Journal.of("catch") == [batch_id]
    assert Journal.of("finally") == [batch_id]
    assert Journal.of("then") == []


async def test_allow_failures_n_cancels_on_failure_n_plus_one(
    manager: QueueManager, tmp_path: Path
) -> None:
    marker = tmp_path / "fail"
    marker.touch()
    first = await batch([PartJob(0, str(marker))]).allow_failures(1).dispatch()
    second = await batch([PartJob(n, str(marker)) for n in range(2)]).allow_failures(1).dispatch()
    tolerant = await batch([PartJob(n, str(marker)) for n in range(3)]).allow_failures().dispatch()

    await work(manager)

    assert not (await found(first)).cancelled()
    assert (await found(second)).cancelled()
    stored = await found(tolerant)
    assert not stored.cancelled() and not stored.finished() and stored.failed_jobs == 3


async def test_jobs_see_a_cancelled_batch(manager: QueueManager) -> None:
    batch_id = await batch([PoliteJob(1), PoliteJob(2)]).dispatch()
    await (await found(batch_id)).cancel()

    await work(manager)

    assert sorted(Journal.of("skipped")) == [1, 2]
    after = await found(batch_id)
    assert after.cancelled() and after.pending_jobs == 0


async def test_a_job_adds_jobs_to_its_batch(manager: QueueManager) -> None:
    batch_id = await batch([GrowingJob(), PartJob(1)]).then(record_then).dispatch()

    await work(manager)

    after = await found(batch_id)
    assert (after.total_jobs, after.pending_jobs) == (4, 0)
    assert sorted(Journal.of("part")) == [1, 100, 101]
    assert Journal.of("then") == [batch_id]


async def test_retry_batch_requeues_failed_jobs_and_then_runs(
    manager: QueueManager, tmp_path: Path
) -> None:
    marker = tmp_path / "fail"
    marker.touch()
    parts = [PartJob(n, str(marker)) for n in range(3)]
    batch_id = (
        await batch(parts)
        .allow_failures()
        .then(record_then)
        .then(ProgressNoteJob("then"))
        .finally_(record_finally)
        .dispatch()
    )
    await work(manager)
    failed = await found(batch_id)
    assert (failed.pending_jobs, failed.failed_jobs, failed.finished()) == (3, 3, False)
    assert Journal.of("then") == [] and Journal.of("finally") == [batch_id]

    marker.unlink()
    outcome = await retry_batch(manager, failed)
    await work(manager)

    assert sorted(outcome.retried) == sorted(failed.failed_job_ids) and not outcome.problems
    after = await found(batch_id)
    assert (after.pending_jobs, after.failed_job_ids, after.finished()) == (0, [], True)
    assert await manager.failed_store().all() == []
    assert Journal.of("then") == [batch_id]
    assert Journal.of("then-progress") == [(100, 3)]  # a job callback reads its batch
    assert Journal.of("finally") == [batch_id]  # once: it ran when every job had run once


async def test_an_empty_batch_is_finished_at_once(manager: QueueManager) -> None:
    batch_id = await batch([]).then(record_then).finally_(record_finally).dispatch()
    await work(manager)
    assert (await found(batch_id)).finished()
    assert Journal.of("then") == [batch_id] and Journal.of("finally") == [batch_id]


class _Holder:
    def method(self, batch: Batch) -> None:
        """A method: workers could not call it."""


@pytest.mark.parametrize("kind", ["lambda", "closure", "method", "builtin"])
async def test_callbacks_a_worker_cannot_import_are_refused_at_dispatch(
    manager: QueueManager, kind: str
) -> None:
    def closure(batch: Batch) -> None:
        """Nested: no import path."""

    callback = {
        "lambda": lambda batch: None,
        "closure": closure,
        "method": _Holder().method,
        "builtin": print,
    }[kind]
    with pytest.raises(InvalidBatchCallbackError, match="module-level function"):
        await batch([PartJob(1)]).then(callback).dispatch()  # type: ignore[arg-type]  # the point
    assert await manager.size() == 0
    assert await manager.container.make(BatchRepository).recent() == []


async def test_only_batchable_jobs_can_be_batched(manager: QueueManager) -> None:
    with pytest.raises(TypeError, match="subclass BatchableJob"):
        await batch([RecordJob("plain")]).dispatch()
    with pytest.raises(TypeError, match="ShouldBeUnique job: not batchable"):
        await batch([UniquePartJob()]).dispatch()
    assert await manager.container.make(BatchRepository).recent() == []


async def test_pruning(manager: QueueManager, tmp_path: Path) -> None:
    repository = manager.container.make(BatchRepository)
    done = await batch([]).dispatch()
    marker = tmp_path / "fail"
    marker.touch()
    unfinished = await batch([PartJob(1, str(marker))]).allow_failures().dispatch()
    cancelled = await batch([PartJob(1)]).dispatch()
    await (await found(cancelled)).cancel()
    await work(manager)
    future = (await found(done)).created_at + 3600

    assert await repository.prune_unfinished(future) == 1
    assert await Batch.find(unfinished) is None
    assert await repository.prune_cancelled(future) == 1
    assert await Batch.find(cancelled) is None
    assert await repository.prune(future) == 1
    assert await repository.recent() == []
