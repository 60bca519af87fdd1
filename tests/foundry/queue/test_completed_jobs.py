"""Completed jobs: recorded by a real worker on the database (SQLite, PostgreSQL) and redis
connections, never with their payload, and trimmed on write to the retention and the cap."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from foundry.database.manager import DatabaseManager
from foundry.jobs.pending import DispatchOptions
from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.queue.completed import CompletedJob, CompletedJobs, DatabaseCompletedStore
from foundry.queue.completed.redis_store import RedisCompletedStore
from foundry.queue.drivers.redis import RedisDriver
from foundry.queue.tables import completed_jobs
from foundry.testing.database import migrate_database
from foundry.testing.queue import work_queue
from tests.conftest import MakeApplication
from tests.foundry.queue.processes import start_worker
from tests.foundry.queue.sample_jobs import FlakyJob, RecordJob, SecretJob

SECRET = "tok_live_4242424242"


def _record(name: str, finished_at: float, queue: str = "default") -> CompletedJob:
    return CompletedJob(f"uuid-{name}", name, "database", queue, 1.5, 1, finished_at)


async def test_a_worker_records_completed_jobs_without_their_payload(
    queue_app: Application, manager: QueueManager
) -> None:
    await manager.push(RecordJob("first", extra=SECRET), DispatchOptions(queue="mail"))
    second = await manager.push(RecordJob("second"), DispatchOptions(queue="billing"))
    await manager.push(SecretJob("ada", SECRET), DispatchOptions(queue="mail"))
    await manager.push(FlakyJob(succeed_on=9))  # fails on its only try: not completed
    await work_queue(queue_app, queues=["mail", "billing", "default"], timeout=3)

    page = await queue_app.container.make(CompletedJobs).recent()
    names = [job.name.rsplit(".", 1)[-1] for job in page.jobs]
    assert sorted(names) == ["RecordJob", "RecordJob", "SecretJob"]
    assert page.has_more is False and page.unavailable == {}
    [billing] = [job for job in page.jobs if job.queue == "billing"]
    assert billing.uuid == second and billing.connection == "database"
    assert billing.attempts == 1 and billing.runtime_ms >= 0
    assert abs(billing.finished_at - time.time()) < 60
    assert [job.finished_at for job in page.jobs] == sorted(
        (job.finished_at for job in page.jobs), reverse=True
    )
    mail = await queue_app.container.make(CompletedJobs).recent(queue="mail")
    assert {job.queue for job in mail.jobs} == {"mail"} and len(mail.jobs) == 2

    async with queue_app.container.make(DatabaseManager).connect() as connection:
        rows = (await connection.execute(select(completed_jobs))).all()
    assert len(rows) == 3
    assert SECRET not in repr(rows) and "first" not in repr(rows)


async def test_attempts_count_the_deliveries_it_took(
    queue_app: Application, manager: QueueManager
) -> None:
    await manager.push(FlakyJob(succeed_on=2))
    await work_queue(queue_app, tries=3, timeout=3)
    await work_queue(queue_app, tries=3, timeout=3)  # the release came back after its backoff (0)
    [job] = (await queue_app.container.make(CompletedJobs).recent()).jobs
    assert job.attempts == 2


async def test_the_database_store_trims_on_write(
    queue_app: Application, manager: QueueManager
) -> None:
    store = DatabaseCompletedStore(manager.database, retention=3600, limit=3)
    now = time.time()
    await store.add([_record("old", now - 3601), _record("kept", now - 3599)], now)
    assert [job.name for job in await store.recent(None, 0, 10)] == ["kept"]
    await store.add([_record(f"new{i}", now + i) for i in range(3)], now)
    assert [job.name for job in await store.recent(None, 0, 10)] == ["new2", "new1", "new0"]
    assert await store.prune(now + 3601.5) == 2  # only new2 is within the hour then
    assert [job.name for job in await store.recent(None, 0, 10)] == ["new2"]


async def test_settings_bound_the_records(
    make_application: MakeApplication, database_url: str
) -> None:
    await migrate_database(database_url)
    app = make_application(
        DATABASE_URL=database_url,
        QUEUE_COMPLETED_MAX="2",
        QUEUE_COMPLETED_RETENTION_MINUTES="5",
    )
    manager = app.container.make(QueueManager)
    for label in ("a", "b", "c"):
        await manager.push(RecordJob(label))
    await work_queue(app)
    completed = app.container.make(CompletedJobs)
    assert completed.retention == 300
    assert len((await completed.recent()).jobs) == 2

    off = make_application(DATABASE_URL=database_url, QUEUE_COMPLETED_MAX="0")
    assert off.container.make(CompletedJobs).enabled is False
    assert off.container.make(CompletedJobs).recorder not in (
        off.container.make(QueueManager).lifecycle_hooks()
    )


@pytest.fixture
async def redis_app(
    make_application: MakeApplication, redis_url: str, rq_prefix: str, tmp_path: Path
) -> AsyncIterator[tuple[Application, dict[str, str]]]:
    """An app whose default connection is redis (rq), failed jobs in an SQLite file."""
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'failed.sqlite'}"
    await migrate_database(database_url)
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": rq_prefix,
        "QUEUE_CONNECTION": "redis",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    yield make_application(**env), env


async def test_an_rq_worker_records_completed_jobs_in_redis(
    redis_app: tuple[Application, dict[str, str]], tmp_path: Path
) -> None:
    app, env = redis_app
    manager = app.container.make(QueueManager)
    await manager.push(RecordJob("one", extra=SECRET), DispatchOptions(queue="emails"))
    await manager.push(SecretJob("ada", SECRET))
    worker = start_worker(env, tmp_path / "w.log", "--stop-when-empty", "--queue", "emails,default")
    assert worker.wait(60) == 0, (tmp_path / "w.log").read_text()

    completed = app.container.make(CompletedJobs)
    page = await completed.recent()
    assert {(job.name.rsplit(".", 1)[-1], job.queue) for job in page.jobs} == {
        ("RecordJob", "emails"),
        ("SecretJob", "default"),
    }
    assert {job.connection for job in page.jobs} == {"redis"}
    assert [job.queue for job in (await completed.recent(queue="emails")).jobs] == ["emails"]
    driver = manager.connection("redis")
    assert isinstance(driver, RedisDriver)
    members = driver.redis().zrange(f"{env['REDIS_PREFIX']}queue:completed", 0, -1)
    texts = [raw.decode() for raw in members if isinstance(raw, bytes)]
    assert len(texts) == 2
    assert all(SECRET not in text and '"one"' not in text for text in texts)


async def test_the_redis_store_trims_on_write(
    redis_app: tuple[Application, dict[str, str]],
) -> None:
    app, env = redis_app
    driver = app.container.make(QueueManager).connection("redis")
    assert isinstance(driver, RedisDriver)
    store = RedisCompletedStore(driver, retention=3600, limit=3)
    now = time.time()
    await store.add([_record("old", now - 3601), _record("kept", now - 3599, "q")], now)
    assert [job.name for job in await store.recent(None, 0, 10)] == ["kept"]
    await store.add([_record(f"new{i}", now + i, "q") for i in range(3)], now)
    assert [job.name for job in await store.recent(None, 0, 10)] == ["new2", "new1", "new0"]
    assert [job.name for job in await store.recent("q", 1, 10)] == ["new1", "new0"]
    assert await store.prune(now + 3601.5) == 4  # new0, new1 from both sets
    assert [job.name for job in await store.recent("q", 0, 10)] == ["new2"]
    assert driver.redis().ttl(store.set_key()) > 3600
