"""Both batch repositories keep the same counters: database (SQLite, PostgreSQL) and Redis."""

from __future__ import annotations

import pytest

from foundry.queue.batching import (
    BatchCounts,
    BatchRepository,
    DatabaseBatchRepository,
    RedisBatchRepository,
)
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication

IDS = ["0190a6b0-0000-7000-8000-00000000000" + str(n) for n in range(4)]


@pytest.fixture
async def database_repository(
    make_application: MakeApplication, database_url: str
) -> BatchRepository:
    await migrate_database(database_url)
    found = make_application(DATABASE_URL=database_url).container.make(BatchRepository)
    assert isinstance(found, DatabaseBatchRepository)
    return found


@pytest.fixture
def redis_repository(
    make_application: MakeApplication, redis_url: str, redis_prefix: str
) -> BatchRepository:
    app = make_application(QUEUE_BATCHING="redis", REDIS_URL=redis_url, REDIS_PREFIX=redis_prefix)
    found = app.container.make(BatchRepository)
    assert isinstance(found, RedisBatchRepository)
    return found


async def counters_failed_ids_and_finishing(repository: BatchRepository) -> None:
    await repository.create("b1", "Imports", 3, {"allowed_failures": None})
    assert await repository.record_failure("b1", IDS[0]) == BatchCounts(3, 1)
    assert await repository.record_failure("b1", IDS[1]) == BatchCounts(3, 2)
    # Delivered again after a crash: each outcome of a member counts once.
    assert await repository.record_failure("b1", IDS[1]) is None
    assert await repository.record_success("b1", IDS[2]) == BatchCounts(2, 2)
    assert await repository.record_success("b1", IDS[2]) is None
    assert await repository.record_failure("b1", IDS[2]) is None
    stored = await repository.find("b1")
    assert stored is not None
    assert sorted(stored.failed_job_ids) == IDS[:2] and stored.finished_at is None
    assert stored.allowed_failures is None and stored.progress() == 33

    assert await repository.record_success("b1", IDS[1]) == BatchCounts(1, 2)  # a retry
    assert await repository.record_success("b1", IDS[1]) is None
    assert await repository.record_success("b1", IDS[0]) == BatchCounts(0, 2)
    done = await repository.find("b1")
    assert done is not None and done.failed_job_ids == [] and done.finished_at is not None

    await repository.increment_total("b1", 2)
    assert await repository.record_success("b1", IDS[0]) is None
    grown = await repository.find("b1")
    assert grown is not None
    assert (grown.total_jobs, grown.pending_jobs, grown.finished_at) == (5, 2, None)
    assert await repository.record_success("missing", IDS[3]) is None
    assert await repository.record_failure("missing", IDS[3]) is None


async def cancel_keeps_the_first_time_and_prunes(repository: BatchRepository) -> None:
    first = await repository.create("b1", "one", 1, {})
    await repository.create("b2", "two", 1, {})
    await repository.cancel("b1")
    cancelled = await repository.find("b1")
    assert cancelled is not None and cancelled.cancelled() and cancelled.finished()
    await repository.cancel("b1")
    again = await repository.find("b1")
    assert again is not None and again.cancelled_at == cancelled.cancelled_at
    await repository.cancel("missing")
    assert await repository.find("missing") is None
    assert [batch.id for batch in await repository.recent()] == ["b2", "b1"]

    later = first.created_at + 60
    assert await repository.prune(first.created_at - 60) == 0
    assert await repository.prune_cancelled(later) == 1
    assert await repository.prune_unfinished(later) == 1
    assert await repository.recent() == []


async def test_database_counters(database_repository: BatchRepository) -> None:
    await counters_failed_ids_and_finishing(database_repository)


async def test_redis_counters(redis_repository: BatchRepository) -> None:
    await counters_failed_ids_and_finishing(redis_repository)


async def test_database_cancel_and_prune(database_repository: BatchRepository) -> None:
    await cancel_keeps_the_first_time_and_prunes(database_repository)


async def test_redis_cancel_and_prune(redis_repository: BatchRepository) -> None:
    await cancel_keeps_the_first_time_and_prunes(redis_repository)
