"""The redis driver (rq): priority bands, delays through rq's scheduler, retries, failed jobs."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.queue.drivers.redis import RedisDriver
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.queue.processes import labels_in, start_worker, stop_worker, wait_for
from tests.foundry.queue.sample_jobs import FlakyJob, NoopJob, SleepJob


@pytest.fixture
async def redis_env(
    redis_url: str, rq_prefix: str, tmp_path: Path
) -> AsyncIterator[dict[str, str]]:
    """Redis for the jobs; an SQLite file for failed_jobs (the database driver has its own tests)."""
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'failed.sqlite'}"
    await migrate_database(database_url)
    yield {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": rq_prefix,
        "QUEUE_CONNECTION": "redis",
        "QUEUE_RETRY_AFTER": "5",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
    }


def drain(env: dict[str, str], tmp_path: Path, *args: str) -> None:
    worker = start_worker(env, tmp_path / "w.log", "--stop-when-empty", "--timeout", "3", *args)
    assert worker.wait(60) == 0, (tmp_path / "w.log").read_text()


async def test_priority_bands_and_rq_names(
    make_application: MakeApplication, redis_env: dict[str, str], tmp_path: Path
) -> None:
    app: Application = make_application(**redis_env)
    manager = app.container.make(QueueManager)
    driver = manager.connection()
    assert isinstance(driver, RedisDriver)
    prefix = redis_env["REDIS_PREFIX"]
    assert driver.rq_names("default") == [
        f"{prefix}default-high",
        f"{prefix}default",
        f"{prefix}default-low",
    ]
    out = str(tmp_path / "out.txt")
    await SleepJob("low", 0, out).with_priority(-5).dispatch()
    await SleepJob("normal", 0, out).dispatch()
    await SleepJob("high", 0, out).with_priority(5).dispatch()
    assert await manager.size() == 3
    assert await driver.queues() == ["default"]
    drain(redis_env, tmp_path)
    assert labels_in(tmp_path / "out.txt") == ["high", "normal", "low"]


async def test_delay_goes_through_rqs_scheduler(
    make_application: MakeApplication, redis_env: dict[str, str], tmp_path: Path
) -> None:
    app: Application = make_application(**redis_env)
    manager = app.container.make(QueueManager)
    out = tmp_path / "out.txt"
    await SleepJob("later", 0, str(out)).delay_until(1).dispatch()
    counts = await manager.connection().counts("default")
    assert (counts.pending, counts.delayed) == (0, 1)
    time.sleep(1.5)
    drain(redis_env, tmp_path)
    assert labels_in(out) == ["later"]


async def test_retries_then_failed_jobs_row(
    make_application: MakeApplication, redis_env: dict[str, str], tmp_path: Path
) -> None:
    app: Application = make_application(**redis_env)
    manager = app.container.make(QueueManager)
    await FlakyJob.dispatch(2)
    await FlakyJob.dispatch(99)
    drain(redis_env, tmp_path)
    [failed] = await manager.failed_store().all()
    assert failed.connection == "redis" and "boom on attempt 3" in failed.exception
    assert await manager.size() == 0


async def test_a_job_stranded_by_a_killed_worker_runs_again(
    make_application: MakeApplication, redis_env: dict[str, str], tmp_path: Path
) -> None:
    # A worker killed right after rq moved the job off its queue, before registering it as
    # started: the job sits in rq's intermediate list (rq itself would fail it after a minute).
    env = {**redis_env, "QUEUE_RETRY_AFTER": "3"}
    app: Application = make_application(**env)
    driver = app.container.make(QueueManager).connection()
    assert isinstance(driver, RedisDriver)
    out = tmp_path / "out.txt"
    await SleepJob("stranded", 0, str(out)).dispatch()
    queue = driver.rq_queue(driver.rq_name("default"))
    queue.connection.lmove(queue.key, queue.intermediate_queue_key, "RIGHT", "LEFT")
    assert queue.count == 0

    worker = start_worker(env, tmp_path / "w.log", "--timeout", "2", "--sleep", "0.1")
    try:
        ran = wait_for(lambda: labels_in(out) == ["stranded"], 30)
    finally:
        stop_worker(worker, tmp_path / "w.log")
    assert ran, (tmp_path / "w.log").read_text()[-2000:]


async def test_rq_sees_the_worker_and_the_running_job_then_nothing_is_left(
    make_application: MakeApplication, redis_env: dict[str, str], tmp_path: Path
) -> None:
    # What `rq info` and rq-dashboard show: the worker, busy with the job in the started
    # registry while it runs; afterwards idle, one success counted, and no trace of the job.
    from rq import Worker
    from rq.job import Job as RqJob

    app: Application = make_application(**redis_env)
    driver = app.container.make(QueueManager).connection()
    assert isinstance(driver, RedisDriver)
    queue = driver.rq_queue(driver.rq_name("default"))
    out = tmp_path / "out.txt"
    await SleepJob("slow", 1.5, str(out)).dispatch()
    [job_id] = queue.get_job_ids()

    def busy_with_the_job() -> bool:
        workers = Worker.all(queue=queue)
        return (
            len(workers) == 1
            and workers[0].get_state() == "busy"
            and [e.job_id for e in workers[0].get_current_executions()] == [job_id]
            and queue.started_job_registry.get_job_ids() == [job_id]
        )

    worker = start_worker(redis_env, tmp_path / "w.log", "--timeout", "3", "--sleep", "0.1")
    try:
        assert wait_for(busy_with_the_job, 30), (tmp_path / "w.log").read_text()[-2000:]
        assert wait_for(lambda: labels_in(out) == ["slow"], 30)

        def idle_and_counted() -> bool:
            [seen] = Worker.all(queue=queue)
            return seen.get_state() == "idle" and seen.successful_job_count == 1

        assert wait_for(idle_and_counted, 30)
        assert queue.started_job_registry.get_job_ids() == []
        assert queue.intermediate_queue.get_job_ids() == []
        assert not RqJob.exists(job_id, connection=queue.connection)
    finally:
        stop_worker(worker, tmp_path / "w.log")


async def test_a_plain_rq_job_on_our_queue_keeps_rqs_own_handling(
    make_application: MakeApplication, redis_env: dict[str, str], tmp_path: Path
) -> None:
    # The worker's short cuts are for Foundry's jobs only; a job someone enqueued with rq
    # itself (here one keeping its result) is run and recorded by rq's own code.
    app: Application = make_application(**redis_env)
    driver = app.container.make(QueueManager).connection()
    assert isinstance(driver, RedisDriver)
    queue = driver.rq_queue(driver.rq_name("default"))
    job = queue.enqueue("tests.foundry.queue.sample_jobs.plain_rq_function", result_ttl=60)
    drain(redis_env, tmp_path)
    fetched = queue.fetch_job(job.id)
    assert fetched is not None and fetched.get_status() == "finished"
    assert fetched.return_value() == "plain"
    assert queue.finished_job_registry.get_job_ids() == [job.id]


async def test_an_undecodable_rq_job_is_failed_by_rq_and_the_worker_goes_on(
    make_application: MakeApplication, redis_env: dict[str, str], tmp_path: Path
) -> None:
    app: Application = make_application(**redis_env)
    driver = app.container.make(QueueManager).connection()
    assert isinstance(driver, RedisDriver)
    queue = driver.rq_queue(driver.rq_name("default"))
    broken = queue.enqueue("tests.foundry.queue.sample_jobs.plain_rq_function")
    queue.connection.hset(broken.key, "data", b"not a serialized call")
    out = tmp_path / "out.txt"
    await SleepJob("after", 0, str(out)).dispatch()
    drain(redis_env, tmp_path)
    assert labels_in(out) == ["after"]
    assert queue.failed_job_registry.get_job_ids() == [broken.id]


async def test_sigterm_between_jobs_stops_the_worker_and_fails_nothing(
    make_application: MakeApplication, redis_env: dict[str, str], tmp_path: Path
) -> None:
    # Most of a busy worker's time outside handle is rq's bookkeeping around each job. A stop
    # signal landing there used to raise inside it: the job was recorded as failed and the
    # worker ignored the signal. Three workers stopped at whatever point they are must each
    # stop cleanly, and no job fails.
    app: Application = make_application(**redis_env)
    manager = app.container.make(QueueManager)
    driver = manager.connection()
    assert isinstance(driver, RedisDriver)
    queue = driver.rq_queue(driver.rq_name("default"))
    await manager.bulk([NoopJob() for _ in range(3000)])
    for round_ in range(3):
        log = tmp_path / f"w{round_}.log"
        before = queue.count
        worker = start_worker(redis_env, log, "--timeout", "3", "--sleep", "0.1")
        assert wait_for(lambda: queue.count < before - 50, 60), log.read_text()
        assert stop_worker(worker, log, 30) == 0
    assert await manager.failed_store().all() == []
