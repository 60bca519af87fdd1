"""``Queue.bulk`` treats every job as ``push`` does: unique locks, after-commit, ``JobQueued``,
capacity, secure jobs, delays and priorities (database driver on SQLite and PostgreSQL; Redis
where it differs)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database import DatabaseManager
from foundry.events import Event
from foundry.jobs import JobAuthorizationError, JobAuthorizer
from foundry.kernel.application import Application
from foundry.queue import JobQueued, QueueFullError, QueueManager
from foundry.queue.drivers.base import PushItem, QueueDriver
from foundry.queue.drivers.memory import MemoryDriver
from foundry.queue.drivers.redis import RedisDriver
from foundry.queue.tables import jobs
from foundry.queue.worker import Worker, WorkerOptions
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.queue.sample_jobs import GuardedJob, Journal, RecordJob, SecretJob, UniqueJob


class HeldJob(RecordJob):
    """Every dispatch of it waits for the surrounding transaction to commit."""

    dispatch_after_commit = True


class Permissions(JobAuthorizer):
    def __init__(self) -> None:
        self.granted: dict[str, set[str]] = {}

    async def allows(self, user_id: str, permissions: Sequence[str]) -> bool:
        return set(permissions) <= self.granted.get(user_id, set())


async def work(manager: QueueManager) -> None:
    options = WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=2, tries=1)
    await Worker(manager, None, options).run()


async def stored_payloads(manager: QueueManager) -> list[str]:
    engine = manager.container.make(DatabaseManager).engine
    async with engine.connect() as connection:
        return list((await connection.execute(select(jobs.c.payload))).scalars())


class _Rollback(Exception):
    pass


async def test_unique_jobs_whose_lock_is_held_are_skipped_with_a_none_id(
    manager: QueueManager,
) -> None:
    assert await UniqueJob.dispatch("a")

    ids = await manager.bulk([UniqueJob("a"), UniqueJob("b"), UniqueJob("b"), RecordJob("c")])

    assert ids[0] is None  # queued before
    assert ids[1] is not None and ids[2] is None  # the second copy in the same call
    assert ids[3] is not None
    assert await manager.size() == 3
    await work(manager)
    assert sorted(Journal.of("unique")) == ["a", "b"]
    assert None not in await manager.bulk([UniqueJob("a"), UniqueJob("b")])  # locks went


async def test_after_commit_jobs_wait_for_the_commit_and_go_with_a_rollback(
    queue_app: Application, manager: QueueManager
) -> None:
    # The sync connection runs a job when it is stored, which shows when that happens.
    async with queue_app.container.scope() as scope:
        session = scope.make(AsyncSession)
        async with session.begin():
            ids = await manager.bulk(
                [
                    HeldJob("held by its class").on_connection("sync"),
                    RecordJob("at once").on_connection("sync"),
                    RecordJob("held by the dispatch").on_connection("sync").after_commit(),
                    HeldJob("on the database"),
                ]
            )
            assert None not in ids
            assert Journal.of("ran") == ["at once"]
            assert await manager.size() == 0
        assert Journal.of("ran") == ["at once", "held by its class", "held by the dispatch"]
        assert await manager.size() == 1

        with pytest.raises(_Rollback):
            async with session.begin():
                await manager.bulk([HeldJob("dropped"), HeldJob("dropped").on_connection("sync")])
                raise _Rollback
    assert Journal.of("ran") == ["at once", "held by its class", "held by the dispatch"]
    assert await manager.size() == 1


async def test_job_queued_is_fired_for_each_stored_job(manager: QueueManager) -> None:
    await UniqueJob.dispatch("taken")
    events = Event.fake()

    ids = await manager.bulk([RecordJob("a"), UniqueJob("taken"), RecordJob("b").on_queue("low")])

    queued = [(e.job_id, e.queue, e.job_name) for e in events.dispatched(JobQueued)]
    assert queued == [(ids[0], "default", "RecordJob"), (ids[2], "low", "RecordJob")]


async def test_a_bulk_that_overflows_a_capped_queue_queues_none_of_its_jobs(
    manager: QueueManager,
) -> None:
    manager.define_queue("capped", max_jobs=3)
    await RecordJob("one").on_queue("capped").dispatch()

    with pytest.raises(QueueFullError, match="holds 1 jobs and takes at most 3"):
        await manager.bulk([UniqueJob("u"), *(RecordJob(x).on_queue("capped") for x in "abc")])

    assert await manager.size("capped") == 1
    assert await manager.size() == 0
    assert await UniqueJob.dispatch("u")  # the refused call took no lock
    await manager.bulk([RecordJob(x).on_queue("capped") for x in "ab"])
    assert await manager.size("capped") == 3


async def test_secure_jobs_are_authorized_and_their_sensitive_fields_encrypted(
    manager: QueueManager,
) -> None:
    authorizer = Permissions()
    manager.container.instance(JobAuthorizer, authorizer)
    with pytest.raises(JobAuthorizationError, match="user 7 lacks a permission"):
        await manager.bulk([RecordJob("innocent"), GuardedJob("denied").pending().by_user(7)])
    assert await manager.size() == 0  # the refusal came before anything was stored

    authorizer.granted["7"] = {"run reports"}
    await manager.bulk([GuardedJob("allowed").pending().by_user(7), SecretJob("acme", "s3cr3t")])

    assert all("s3cr3t" not in payload for payload in await stored_payloads(manager))
    await work(manager)
    assert Journal.of("guarded") == ["allowed"]
    assert Journal.of("secret") == [("acme", "s3cr3t")]


async def test_each_job_keeps_its_delay_and_priority(manager: QueueManager) -> None:
    await manager.bulk(
        [
            RecordJob("plain"),
            RecordJob("urgent").with_priority(10),
            RecordJob("later").delay_until(3600),
        ]
    )

    counts = await manager.connection().counts("default")
    assert (counts.pending, counts.delayed) == (2, 1)
    await work(manager)
    assert Journal.of("ran") == ["urgent", "plain"]


class OutageDriver(MemoryDriver):
    """An application's driver whose back end is down until ``up`` is set."""

    up = False

    async def push(self, item: PushItem) -> None:
        if not self.up:
            raise ConnectionError("back end unreachable")
        await super().push(item)


def outage(manager: QueueManager, name: str) -> QueueDriver:
    config = manager.connection_config(name)
    return OutageDriver(name, default_queue=config.queue, retry_after=config.retry_after)


async def test_unique_locks_are_freed_when_the_back_end_refuses_the_jobs(
    make_application: MakeApplication,
) -> None:
    manager = make_application().container.make(QueueManager)
    manager.extend("memory", outage)
    jobs = [UniqueJob("a").on_connection("memory"), UniqueJob("b").on_connection("memory")]

    with pytest.raises(ConnectionError, match="unreachable"):
        await manager.bulk(jobs)

    OutageDriver.up = True
    try:
        assert None not in await manager.bulk(jobs)  # not skipped for copies never stored
    finally:
        OutageDriver.up = False
    assert await manager.size(connection="memory") == 2


# -- Redis: nothing there belongs to the database transaction, so after-commit is what holds --


@pytest.fixture
async def redis_app(
    make_application: MakeApplication, redis_url: str, rq_prefix: str, tmp_path: Path
) -> AsyncIterator[Application]:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}"
    await migrate_database(database_url)
    yield make_application(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        REDIS_PREFIX=rq_prefix,
        QUEUE_CONNECTION="redis",
        QUEUE_RETRY_AFTER="5",
        CACHE_STORE="file",
        CACHE_PATH=str(tmp_path / "cache"),
    )


async def test_on_redis_only_after_commit_jobs_wait_for_the_transaction(
    redis_app: Application,
) -> None:
    manager = redis_app.container.make(QueueManager)
    async with redis_app.container.scope() as scope:
        session = scope.make(AsyncSession)
        async with session.begin():
            await manager.bulk([RecordJob("now"), RecordJob("held").after_commit(), HeldJob("h")])
            assert await manager.size() == 1  # Redis has no transaction to put "now" in
        assert await manager.size() == 3
        with pytest.raises(_Rollback):
            async with session.begin():
                await manager.bulk([HeldJob("dropped"), HeldJob("dropped too")])
                raise _Rollback
    assert await manager.size() == 3


async def test_on_redis_a_bulk_keeps_priority_bands_delays_and_unique_locks(
    redis_app: Application,
) -> None:
    manager = redis_app.container.make(QueueManager)
    driver = manager.connection()
    assert isinstance(driver, RedisDriver)
    await UniqueJob.dispatch("taken")

    ids = await manager.bulk(
        [
            RecordJob("plain"),
            RecordJob("urgent").with_priority(10),
            RecordJob("later").delay_until(3600),
            UniqueJob("taken"),
        ]
    )

    assert ids[3] is None
    counts = await driver.counts("default")
    assert (counts.pending, counts.delayed) == (3, 1)
    assert len(driver.rq_queue(driver.rq_name("default", 10))) == 1
