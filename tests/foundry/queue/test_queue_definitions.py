"""``define_queue``: a queue's connection, its capacity (``max_jobs``) and its rate limit."""

from __future__ import annotations

import pytest

from foundry.jobs import JobConfigurationError
from foundry.queue import QueueFullError, QueueManager
from foundry.queue.worker import Worker, WorkerOptions
from foundry.rate_limiting import RateLimiter
from foundry.rate_limiting.limit import Limit
from tests.foundry.queue.sample_jobs import Journal, RecordJob


def _options(queue: str) -> WorkerOptions:
    return WorkerOptions(queues=[queue], memory=0, stop_when_empty=True, sleep=0, timeout=2)


async def test_a_full_queue_refuses_more_jobs(manager: QueueManager) -> None:
    manager.define_queue("capped", max_jobs=2)
    await RecordJob("one").on_queue("capped").dispatch()
    await RecordJob("two").on_queue("capped").dispatch()

    with pytest.raises(QueueFullError, match="holds 2 jobs and takes at most 2"):
        await RecordJob("three").on_queue("capped").dispatch()
    with pytest.raises(QueueFullError):
        await manager.bulk([RecordJob("bulk").on_queue("capped")])

    assert await manager.size("capped") == 2
    await RecordJob("elsewhere").dispatch()  # other queues are not limited
    await Worker(manager, None, _options("capped")).run()
    await RecordJob("room again").on_queue("capped").dispatch()


async def test_a_rate_limited_queue_releases_jobs_over_its_limit(manager: QueueManager) -> None:
    manager.define_queue("limited", rate_limit_enabled=True)
    RateLimiter.for_("queue:limited", lambda job: Limit.per_minute(1))
    await RecordJob("first").on_queue("limited").dispatch()
    await RecordJob("second").on_queue("limited").dispatch()

    await Worker(manager, None, _options("limited")).run()

    assert Journal.of("ran") == ["first"]
    counts = await manager.connection().counts("limited")
    assert counts.delayed == 1  # released until the window resets, not failed
    assert await manager.failed_store().all() == []


async def test_a_worker_refuses_a_rate_limited_queue_without_its_limiter(
    manager: QueueManager,
) -> None:
    manager.define_queue("unlimited-by-mistake", rate_limit_enabled=True)
    with pytest.raises(JobConfigurationError, match="queue:unlimited-by-mistake"):
        Worker(manager, None, _options("unlimited-by-mistake"))
