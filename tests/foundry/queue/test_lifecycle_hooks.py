"""Lifecycle hooks: what batches, chains and metrics build on sees every outcome exactly once."""

from __future__ import annotations

from foundry.queue import QueueManager
from foundry.queue.lifecycle import JobRun
from foundry.queue.tables import jobs
from foundry.queue.worker import Worker, WorkerOptions
from tests.foundry.queue.sample_jobs import FlakyJob, Journal, RecordJob, ReleasingJob


class Recorder:
    """Writes each call to the journal, checking the job is still on its queue when it succeeds."""

    def __init__(self, manager: QueueManager) -> None:
        self.manager = manager

    async def succeeded(self, run: JobRun) -> None:
        async with self.manager.database.engine.connect() as connection:
            still_queued = (await connection.execute(jobs.select())).all()
        assert run.runtime is not None and run.exception is None
        Journal.add("hook", ("succeeded", run.job_name, len(still_queued)))

    async def released(self, run: JobRun, delay: float) -> None:
        Journal.add("hook", ("released", run.job_name, delay))

    async def failed(self, run: JobRun) -> None:
        assert run.exception is not None
        Journal.add("hook", ("failed", run.job_name, str(run.exception)))


async def work(manager: QueueManager) -> None:
    options = WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=2, tries=3)
    await Worker(manager, "database", options).run()


async def test_a_successful_job_is_reported_before_it_leaves_its_queue(
    manager: QueueManager,
) -> None:
    manager.add_lifecycle_hook(Recorder(manager))
    await RecordJob.dispatch("a")
    await work(manager)
    assert Journal.of("hook") == [("succeeded", "RecordJob", 1)]


async def test_retries_and_the_final_failure_are_reported(manager: QueueManager) -> None:
    manager.add_lifecycle_hook(Recorder(manager))
    await FlakyJob.dispatch(99)
    await ReleasingJob.dispatch()
    await work(manager)
    hooks = Journal.of("hook")
    flaky = [h for h in hooks if h[1].endswith("FlakyJob")]
    releasing = [h for h in hooks if h[1].endswith("ReleasingJob")]
    assert [h[0] for h in flaky] == ["released", "released", "failed"]
    assert flaky[-1][2] == "boom on attempt 3"
    assert [h[0] for h in releasing] == ["released", "succeeded"]


async def test_an_unreadable_payload_is_reported_as_failed(manager: QueueManager) -> None:
    manager.add_lifecycle_hook(Recorder(manager))
    async with manager.database.engine.begin() as connection:
        await connection.execute(
            jobs.insert().values(
                uuid="not-a-payload",
                queue="default",
                payload="{not json",
                attempts=0,
                available_at=0,
                created_at=0,
            )
        )
    await work(manager)
    assert [h[:2] for h in Journal.of("hook")] == [("failed", "unreadable job")]
