"""Secure jobs, unique jobs and job middleware, on the database driver."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
from sqlalchemy import select, update

from foundry.config.database import DatabaseSettings
from foundry.database import DatabaseManager
from foundry.jobs import (
    Job,
    JobAuthorizationError,
    JobAuthorizer,
    JobMiddleware,
    RateLimit,
    RateLimited,
    RateLimitedMiddleware,
    ThrottlesExceptions,
    WithoutOverlapping,
)
from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.queue.tables import jobs
from foundry.queue.worker import Worker, WorkerOptions
from foundry.rate_limiting import RateLimiter
from foundry.rate_limiting.limit import Limit
from tests.conftest import MakeApplication
from tests.foundry.queue.sample_jobs import GuardedJob, Journal, SecretJob, SkippedJob, UniqueJob


async def work(manager: QueueManager, **options: float) -> None:
    settings = WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=2, tries=3)
    for key, value in options.items():
        setattr(settings, key, value)
    await Worker(manager, None, settings).run()


async def rows(manager: QueueManager) -> list[str]:
    engine = manager.container.make(DatabaseManager).engine
    async with engine.connect() as connection:
        return list((await connection.execute(select(jobs.c.payload))).scalars())


class Permissions(JobAuthorizer):
    def __init__(self) -> None:
        self.granted: dict[str, set[str]] = {}

    async def allows(self, user_id: str, permissions: Sequence[str]) -> bool:
        return set(permissions) <= self.granted.get(user_id, set())


async def test_sensitive_fields_never_reach_the_back_end(manager: QueueManager) -> None:
    await SecretJob.dispatch("acme", "s3cr3t-token")
    [payload] = await rows(manager)
    assert "s3cr3t-token" not in payload and "acme" in payload
    await work(manager)
    assert Journal.of("secret") == [("acme", "s3cr3t-token")]


async def test_tampered_secure_payload_is_failed_not_run(manager: QueueManager) -> None:
    await SecretJob.dispatch("acme", "s3cr3t-token")
    [text] = await rows(manager)
    payload = json.loads(text)
    payload["data"]["account"] = "evil"
    engine = manager.container.make(DatabaseManager).engine
    async with engine.begin() as connection:
        await connection.execute(update(jobs).values(payload=json.dumps(payload)))
    await work(manager)
    assert Journal.of("secret") == []
    [failed] = await manager.failed_store().all()
    assert "job payload was tampered with: signature mismatch" in failed.exception
    assert "s3cr3t-token" not in failed.payload


async def test_required_permissions_fail_closed_without_an_authorizer(
    make_application: MakeApplication, queue_app: Application
) -> None:
    # Without the permission provider nothing binds a JobAuthorizer.
    providers = [p for p in queue_app.settings.providers if "permissions" not in p]
    bare = make_application(
        DATABASE_URL=queue_app.config.settings(DatabaseSettings).url,
        APP_PROVIDERS=json.dumps(providers),
    )
    manager = bare.container.make(QueueManager)
    with pytest.raises(JobAuthorizationError, match="no JobAuthorizer is bound"):
        await GuardedJob("x").pending().by_user(1).dispatch()
    assert await manager.size() == 0


async def test_permissions_checked_at_dispatch_and_before_handle(manager: QueueManager) -> None:
    authorizer = Permissions()
    manager.container.instance(JobAuthorizer, authorizer)
    with pytest.raises(JobAuthorizationError, match="lacks a permission"):
        await GuardedJob("denied").pending().by_user(7).dispatch()
    with pytest.raises(JobAuthorizationError, match="by_user"):
        await GuardedJob("anonymous").pending().dispatch()
    authorizer.granted["7"] = {"run reports"}
    await GuardedJob("first").pending().by_user(7).dispatch()
    await GuardedJob("second").pending().by_user(7).dispatch()
    await work(manager, max_jobs=1)
    authorizer.granted["7"] = set()  # revoked while the second one waits
    await work(manager)
    assert Journal.of("guarded") == ["first"]
    [failed] = await manager.failed_store().all()
    assert "user 7 lacks a permission" in failed.exception


async def test_unique_job_is_queued_once_until_it_ran(manager: QueueManager) -> None:
    assert await UniqueJob.dispatch("a")
    assert await UniqueJob.dispatch("a") is None
    assert await UniqueJob.dispatch("b")
    await work(manager)
    assert sorted(Journal.of("unique")) == ["a", "b"]
    assert await UniqueJob.dispatch("a")  # the lock went with the finished job


async def test_skip_middleware(manager: QueueManager) -> None:
    await SkippedJob.dispatch(True)
    await SkippedJob.dispatch(False)
    await work(manager)
    assert Journal.of("not_skipped") == [False]
    assert await manager.size() == 0


class LimitedJob(Job):
    tries = 5

    def __init__(self, n: int) -> None:
        self.n = n

    def middleware(self) -> Sequence[JobMiddleware]:
        return [RateLimitedMiddleware("reports", release_after=60)]

    async def handle(self) -> None:
        Journal.add("limited", self.n)


class MixinLimitedJob(Job, RateLimited):
    def __init__(self, n: int) -> None:
        self.n = n

    def get_rate_limits(self) -> list[RateLimit]:
        return [RateLimit(max_attempts=1, per_seconds=3600)]

    async def handle(self) -> None:
        Journal.add("mixin", self.n)


async def test_rate_limited_jobs_are_released_not_failed(manager: QueueManager) -> None:
    RateLimiter.for_("reports", lambda job: Limit.per_hour(2))
    for n in range(3):
        await LimitedJob.dispatch(n)
    await MixinLimitedJob.dispatch(1)
    await MixinLimitedJob.dispatch(2)
    await work(manager)
    assert Journal.of("limited") == [0, 1]
    assert Journal.of("mixin") == [1]
    counts = await manager.connection().counts("default")
    assert counts.delayed == 2  # one of each, released for later
    assert await manager.failed_store().all() == []


class OverlappingJob(Job):
    def middleware(self) -> Sequence[JobMiddleware]:
        return [WithoutOverlapping("k", release_after=30)]

    async def handle(self) -> None:
        Journal.add("overlap", "ran")


async def test_without_overlapping_releases_while_locked(manager: QueueManager) -> None:
    lock = manager.cache().store().lock("queue:overlap:" + _path(OverlappingJob) + ":k", 60)
    assert await lock.acquire()
    await OverlappingJob.dispatch()
    await work(manager)
    assert Journal.of("overlap") == []
    assert (await manager.connection().counts("default")).delayed == 1
    await lock.release()


class FailingThrottledJob(Job):
    tries = 10
    backoff = 0

    def middleware(self) -> Sequence[JobMiddleware]:
        return [ThrottlesExceptions(max_attempts=2, decay_seconds=600)]

    async def handle(self) -> None:
        Journal.add("throttled", self.attempts())
        raise RuntimeError("service down")


async def test_throttles_exceptions_stops_calling_a_failing_service(manager: QueueManager) -> None:
    await FailingThrottledJob.dispatch()
    await work(manager)
    assert Journal.of("throttled") == [1, 2]  # then released until the window resets
    assert (await manager.connection().counts("default")).delayed == 1


def _path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


async def test_dispatch_now_refuses_a_job_that_needs_permissions(manager: QueueManager) -> None:
    with pytest.raises(JobAuthorizationError, match="by_user"):
        await GuardedJob.dispatch_now("x")
    assert Journal.of("guarded") == []


class OneTryLimitedJob(Job):
    tries = 1

    def middleware(self) -> Sequence[JobMiddleware]:
        return [RateLimitedMiddleware("one-a-window", release_after=0)]

    async def handle(self) -> None:
        Journal.add("one_try", self.attempts())


async def test_rate_limiter_releases_do_not_use_up_a_jobs_tries(manager: QueueManager) -> None:
    # tries = 1, and the limiter releases it three times: it is not failed, and it runs on its
    # first counted try once the limiter admits it.
    limit = Limit.per_hour(1)
    RateLimiter.for_("one-a-window", lambda job: limit)
    assert (await RateLimiter.consume("one-a-window", limit)).allowed  # the window is used up
    await OneTryLimitedJob.dispatch()
    await work(manager, max_jobs=3, stop_when_empty=False)
    assert Journal.of("one_try") == []
    assert await manager.failed_store().all() == []
    await RateLimiter.reset_limit("one-a-window", limit)
    await work(manager)
    assert Journal.of("one_try") == [1]
    assert await manager.failed_store().all() == []
