"""The database driver and the worker: dispatch, run, retry, release, fail, priorities."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select, update

from foundry.queue import Queue, QueueManager
from foundry.queue.tables import jobs
from foundry.queue.worker import Worker, WorkerOptions
from tests.foundry.queue.sample_jobs import (
    FlakyJob,
    Journal,
    RecordJob,
    ReleasingJob,
    SlowJob,
    SyncRecordJob,
    TypedFieldsJob,
)


async def work(manager: QueueManager, **options: object) -> Worker:
    worker = Worker(manager, "database", WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=2, **options))  # type: ignore[arg-type]  # test helper passes known flags
    await worker.run()
    return worker


async def test_dispatched_job_runs_with_its_fields(manager: QueueManager) -> None:
    when = datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)
    job_id = await RecordJob.dispatch("hello", when, {"n": [1, 2]})
    assert job_id
    assert await manager.size() == 1
    await work(manager)
    assert Journal.of("fields") == [("hello", when, {"n": [1, 2]})]
    assert await manager.size() == 0


async def test_typed_fields_round_trip(manager: QueueManager) -> None:
    await TypedFieldsJob.dispatch()
    await work(manager)
    expected = TypedFieldsJob().fields()
    assert Journal.of("typed") == [expected]


async def test_sync_handle_gets_container_services(manager: QueueManager) -> None:
    await SyncRecordJob.dispatch("s")
    await work(manager)
    assert Journal.of("sync") == [("s", "DatabaseManager")]


async def test_priority_orders_jobs_within_a_queue(manager: QueueManager) -> None:
    await RecordJob("low").with_priority(-1).dispatch()
    await RecordJob("normal").dispatch()
    await RecordJob("high").with_priority(10).dispatch()
    await work(manager)
    assert Journal.of("ran") == ["high", "normal", "low"]


async def test_queues_are_worked_in_the_order_given(manager: QueueManager) -> None:
    await RecordJob("default").dispatch()
    await RecordJob("urgent").on_queue("high").dispatch()
    await work(manager, queues=["high", "default"])
    assert Journal.of("ran") == ["urgent", "default"]


async def test_delayed_job_waits(manager: QueueManager) -> None:
    await RecordJob("later").delay_until(60).dispatch()
    await work(manager)
    assert Journal.of("ran") == []
    counts = await manager.connection().counts("default")
    assert (counts.pending, counts.delayed) == (0, 1)


async def test_retries_until_success(manager: QueueManager) -> None:
    await FlakyJob.dispatch(3)
    await work(manager)
    assert Journal.of("attempt") == [1, 2, 3]
    assert await manager.failed_store().all() == []


async def test_fails_after_tries_and_calls_failed_hook(manager: QueueManager) -> None:
    await FlakyJob.dispatch(10)
    await work(manager)
    assert Journal.of("attempt") == [1, 2, 3]
    assert Journal.of("failed_hook") == ["boom on attempt 3"]
    [failed] = await manager.failed_store().all()
    assert "RuntimeError: boom on attempt 3" in failed.exception
    assert (failed.connection, failed.queue) == ("database", "default")


async def test_backoff_delays_the_retry(manager: QueueManager) -> None:
    job = FlakyJob(2)
    job.backoff = [30]
    await job.pending().dispatch()
    await work(manager)
    assert Journal.of("attempt") == [1]
    counts = await manager.connection().counts("default")
    assert counts.delayed == 1


async def test_release_puts_the_job_back(manager: QueueManager) -> None:
    await ReleasingJob.dispatch()
    await work(manager)
    assert Journal.of("attempt") == [1, 2]


async def test_timeout_fails_the_job(manager: QueueManager) -> None:
    await SlowJob.dispatch(5)
    await work(manager)
    [failed] = await manager.failed_store().all()
    assert "ran longer than its timeout of 0.3s" in failed.exception


async def test_facade_and_bulk_dispatch(manager: QueueManager) -> None:
    ids = await Queue.bulk([RecordJob(f"j{i}") for i in range(20)])
    assert len(set(ids)) == 20
    assert await manager.size() == 20
    await work(manager)
    assert sorted(Journal.of("ran")) == sorted(f"j{i}" for i in range(20))


async def test_abandoned_job_is_handed_out_again_after_retry_after(manager: QueueManager) -> None:
    await RecordJob("abandoned").dispatch()
    driver = manager.connection()
    reserved = await driver.pop("default")  # type: ignore[attr-defined]  # database driver polls
    assert reserved is not None and reserved.attempts == 1
    assert await driver.pop("default") is None  # type: ignore[attr-defined]  # still reserved
    engine = driver.database.engine  # type: ignore[attr-defined]  # the database driver's
    async with engine.begin() as connection:  # the worker "died" long ago
        await connection.execute(update(jobs).values(reserved_at=jobs.c.reserved_at - 10))
    await work(manager, tries=2)
    assert Journal.of("ran") == ["abandoned"]
    async with engine.connect() as connection:
        assert (await connection.execute(select(jobs))).all() == []
