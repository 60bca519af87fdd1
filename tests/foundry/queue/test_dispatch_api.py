"""The dispatch API: conditions, dispatch_now, the sync driver, after_commit, the fake, events,
and a job without ``handle`` refused when dispatched."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.events import Event
from foundry.jobs import Job, JobConfigurationError
from foundry.kernel.application import Application
from foundry.queue import JobFailed, JobProcessed, JobQueued, Queue, QueueManager, define_queue
from foundry.queue.errors import UnknownConnectionError, UnknownQueueError
from tests.foundry.queue.sample_jobs import FlakyJob, Journal, RecordJob, SlowJob, SyncRecordJob


class NoHandleJob(Job):
    """Forgot its ``handle``."""

    def __init__(self, label: str) -> None:
        self.label = label


async def test_a_job_without_handle_is_refused_at_dispatch(manager: QueueManager) -> None:
    message = r"NoHandleJob has no handle\(\) method"
    with pytest.raises(JobConfigurationError, match=message):
        await NoHandleJob.dispatch("class")
    with pytest.raises(JobConfigurationError, match=message):
        await NoHandleJob("instance").on_connection("sync").dispatch()
    with pytest.raises(JobConfigurationError, match=message):
        await manager.bulk([RecordJob("fine"), NoHandleJob("bulk")])
    with pytest.raises(JobConfigurationError, match=message):
        await NoHandleJob.dispatch_now("now")
    with pytest.raises(JobConfigurationError, match=message):
        await Queue.fake().push(NoHandleJob("faked"))
    assert await manager.size() == 0


async def test_dispatch_if_and_unless(manager: QueueManager) -> None:
    assert await RecordJob.dispatch_if(False, "no") is None
    assert await RecordJob.dispatch_unless(True, "no") is None
    assert await RecordJob.dispatch_if(True, "yes")
    assert await RecordJob.dispatch_unless(False, "yes")
    assert await manager.size() == 2


async def test_dispatch_now_runs_inline_and_returns_the_result(manager: QueueManager) -> None:
    assert await SyncRecordJob.dispatch_now("inline") == "inline"
    assert Journal.of("sync") == [("inline", "DatabaseManager")]
    assert await manager.size() == 0


async def test_sync_connection_runs_at_once_and_raises_failures(manager: QueueManager) -> None:
    await RecordJob("now").on_connection("sync").dispatch()
    assert Journal.of("ran") == ["now"]
    with pytest.raises(RuntimeError, match="boom on attempt 1"):
        await FlakyJob(5).on_connection("sync").dispatch()
    assert Journal.of("failed_hook") == ["boom on attempt 1"]
    [failed] = await manager.failed_store().all()
    assert failed.connection == "sync"


async def test_after_commit_holds_the_dispatch(
    queue_app: Application, manager: QueueManager
) -> None:
    async with queue_app.container.scope() as scope:
        session = scope.make(AsyncSession)
        async with session.begin():
            await RecordJob("kept").after_commit().dispatch()
            assert await manager.size() == 0
        assert await manager.size() == 1
        with pytest.raises(RuntimeError):
            async with session.begin():
                await RecordJob("dropped").after_commit().dispatch()
                raise RuntimeError("roll back")
    assert await manager.size() == 1


async def test_unknown_connection_and_bad_queue_name_are_clear_errors(
    manager: QueueManager,
) -> None:
    with pytest.raises(UnknownConnectionError, match="'nope' is not defined"):
        await RecordJob("x").on_connection("nope").dispatch()
    with pytest.raises(UnknownQueueError, match="invalid queue name"):
        await RecordJob("x").on_queue("bad name!").dispatch()


async def test_timeout_must_be_shorter_than_retry_after(manager: QueueManager) -> None:
    job = SlowJob(1)
    job.timeout = 5  # QUEUE_RETRY_AFTER is 5 in these tests
    with pytest.raises(JobConfigurationError, match="must be shorter than retry_after=5"):
        await job.pending().dispatch()


async def test_define_queue_routes_to_its_connection(manager: QueueManager) -> None:
    define_queue("instant", connection="sync")
    await RecordJob("routed").on_queue("instant").dispatch()
    assert Journal.of("ran") == ["routed"]


async def test_fake_records_and_asserts(manager: QueueManager) -> None:
    fake = Queue.fake()
    fake.assert_nothing_pushed()
    await RecordJob.dispatch("a")
    await RecordJob("b").on_queue("high").dispatch()
    await Queue.bulk([RecordJob("c")])
    fake.assert_pushed(RecordJob)
    fake.assert_pushed(RecordJob, lambda job: job.label == "b")
    fake.assert_pushed_on("high", RecordJob, lambda job: job.label == "b")
    fake.assert_pushed_times(RecordJob, 3)
    fake.assert_not_pushed(FlakyJob)
    with pytest.raises(AssertionError, match="was not pushed onto queue 'low'"):
        fake.assert_pushed_on("low", RecordJob)
    with pytest.raises(AssertionError, match="pushed 3 times instead of 1"):
        fake.assert_pushed_times(RecordJob, 1)
    assert Journal.of("ran") == []
    assert await manager.size() == 0


async def test_lifecycle_events(manager: QueueManager) -> None:
    events = Event.fake()
    await RecordJob("e").on_connection("sync").dispatch()
    events.assert_dispatched(JobQueued, lambda e: e.connection == "sync")
    events.assert_dispatched(JobProcessed, lambda e: e.job_name == "RecordJob")
    with pytest.raises(RuntimeError):
        await FlakyJob(3).on_connection("sync").dispatch()
    events.assert_dispatched(JobFailed, lambda e: "boom" in e.exception)
