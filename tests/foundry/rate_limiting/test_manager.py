"""The rate limiter on memory and Redis: named limiters and direct attempt counting."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from limits.aio.storage import MemoryStorage

from foundry.kernel.application import Application
from foundry.kernel.providers import ServiceProvider
from foundry.rate_limiting import (
    Limit,
    RateLimiterManager,
    UnknownLimiterError,
    UnknownRateLimitStoreError,
)
from tests.conftest import MakeApplication
from tests.foundry.rate_limiting.conftest import PROVIDERS, make_request, redis_env

#: Counters shared by every app in this module that names the ``shared`` store.
SHARED = MemoryStorage()


class SharedStoreProvider(ServiceProvider):
    """What an app's own provider does: add a counter store in ``boot``."""

    def boot(self, app: Application) -> None:
        app.container.make(RateLimiterManager).extend("shared", lambda manager: SHARED)


# -- direct use ------------------------------------------------------------------------------------


async def test_hit_counts_attempts_until_too_many(limiter: RateLimiterManager) -> None:
    assert await limiter.attempts("login:ada") == 0
    assert await limiter.remaining("login:ada", 3) == 3
    for expected in (1, 2, 3):
        assert not await limiter.too_many_attempts("login:ada", 3)
        assert await limiter.hit("login:ada", 60) == expected
        assert await limiter.remaining("login:ada", 3) == 3 - expected
    assert await limiter.too_many_attempts("login:ada", 3)
    assert await limiter.remaining("login:ada", 3) == 0


async def test_keys_are_counted_separately(limiter: RateLimiterManager) -> None:
    await limiter.hit("login:ada")
    await limiter.hit("login:ada")
    await limiter.hit("login:bob")
    assert await limiter.attempts("login:ada") == 2
    assert await limiter.attempts("login:bob") == 1


async def test_available_in_counts_down_the_window(limiter: RateLimiterManager) -> None:
    assert await limiter.available_in("login:ada") == 0
    await limiter.hit("login:ada", 120)
    assert 119 <= await limiter.available_in("login:ada") <= 120
    await limiter.hit("login:ada", 120)  # later hits do not extend the window
    assert 119 <= await limiter.available_in("login:ada") <= 120


async def test_clear_forgets_the_attempts(limiter: RateLimiterManager) -> None:
    await limiter.increment("login:ada", 60, amount=5)
    assert await limiter.too_many_attempts("login:ada", 5)
    await limiter.clear("login:ada")
    assert await limiter.attempts("login:ada") == 0
    assert await limiter.available_in("login:ada") == 0


async def test_attempts_reset_when_the_window_ends(limiter: RateLimiterManager) -> None:
    await limiter.hit("login:ada", 1)
    assert await limiter.attempts("login:ada") == 1
    await asyncio.sleep(1.1)
    assert await limiter.attempts("login:ada") == 0
    assert await limiter.hit("login:ada", 1) == 1


# -- named limiters --------------------------------------------------------------------------------


async def test_a_named_limit_blocks_the_attempt_after_the_last_allowed(
    limiter: RateLimiterManager,
) -> None:
    limit = Limit.per_minute(3).by("203.0.113.7")
    results = [await limiter.consume("api", limit) for _ in range(4)]
    assert [r.allowed for r in results] == [True, True, True, False]
    assert [r.remaining for r in results[:3]] == [2, 1, 0]
    blocked = results[3]
    assert 59 <= blocked.retry_after <= 60
    assert blocked.reset_at == pytest.approx(time.time() + 60, abs=2)
    assert blocked.headers() == {
        "X-RateLimit-Limit": "3",
        "X-RateLimit-Remaining": "0",
        "Retry-After": str(blocked.retry_after),
        "X-RateLimit-Reset": str(int(blocked.reset_at) + (blocked.reset_at % 1 > 0)),
    }


async def test_limiters_and_keys_never_share_counters(limiter: RateLimiterManager) -> None:
    limit = Limit.per_minute(2)
    await limiter.consume("api", limit.by("a"))
    await limiter.consume("api", limit.by("a"))
    assert not (await limiter.consume("api", limit.by("a"))).allowed
    assert (await limiter.consume("api", limit.by("b"))).allowed
    assert (await limiter.consume("uploads", limit.by("a"))).allowed
    # "/" separates key parts inside limits: quoting keeps these two apart.
    await limiter.consume("x/y", limit.by("z"))
    await limiter.consume("x/y", limit.by("z"))
    assert (await limiter.consume("x", limit.by("y/z"))).allowed
    # Direct counting uses keys of its own.
    assert await limiter.attempts("a") == 0


async def test_reset_limit_starts_a_named_limit_over(limiter: RateLimiterManager) -> None:
    limit = Limit.per_minute(1).by("a")
    await limiter.consume("api", limit)
    assert not (await limiter.consume("api", limit)).allowed
    await limiter.reset_limit("api", limit)
    assert (await limiter.consume("api", limit)).allowed


async def test_limiter_callbacks_may_return_one_limit_several_or_be_async(
    limiter: RateLimiterManager,
) -> None:
    async def per_user(request: object) -> list[Limit]:
        return [Limit.per_minute(10), Limit.per_day(100).by("user")]

    limiter.for_("one", lambda request: Limit.per_minute(5).by(request.url.path))
    limiter.for_("many", per_user)
    request = make_request(path="/reports")
    assert await limiter.limits_for("one", request) == [Limit.per_minute(5).by("/reports")]
    assert await limiter.limits_for("many", request) == [
        Limit.per_minute(10),
        Limit.per_day(100).by("user"),
    ]
    assert limiter.limiter_names() == ["api", "many", "one"]


async def test_an_unknown_limiter_is_an_error(limiter: RateLimiterManager) -> None:
    with pytest.raises(UnknownLimiterError, match="'apl' is not defined.*RateLimiter.for_"):
        await limiter.limits_for("apl", make_request())


async def test_the_built_in_api_limiter_counts_per_client_ip(
    make_application: MakeApplication, limiter_env: dict[str, str]
) -> None:
    # The suite raises RATE_LIMIT_API_PER_MINUTE for every other test (tests/conftest.py).
    app = make_application(**limiter_env, RATE_LIMIT_API_PER_MINUTE="60")
    limiter = app.container.make(RateLimiterManager)
    limits = await limiter.limits_for("api", make_request("198.51.100.1"))
    assert limits == [Limit.per_minute(60).by("198.51.100.1")]


@pytest.mark.parametrize("strategy", ["fixed-window", "moving-window", "sliding-window-counter"])
async def test_every_strategy_enforces_the_limit(
    make_application: MakeApplication, limiter_env: dict[str, str], strategy: str
) -> None:
    app = make_application(**limiter_env, RATE_LIMIT_STRATEGY=strategy)
    limiter = app.container.make(RateLimiterManager)
    limit = Limit.per_minute(2).by("k")
    results = [await limiter.consume("api", limit) for _ in range(3)]
    assert [r.allowed for r in results] == [True, True, False]
    assert results[2].retry_after >= 1


# -- counter stores --------------------------------------------------------------------------------


def test_an_unknown_store_fails_at_start_up(make_application: MakeApplication) -> None:
    with pytest.raises(UnknownRateLimitStoreError, match="'memcached'.*known.*: memory, redis"):
        make_application(RATE_LIMIT_STORE="memcached", APP_PROVIDERS=PROVIDERS)


async def test_a_store_added_in_the_apps_own_boot_holds_the_counters(
    make_application: MakeApplication,
) -> None:
    providers = json.dumps([*json.loads(PROVIDERS), f"{__name__}.SharedStoreProvider"])
    env = {"RATE_LIMIT_STORE": "shared", "APP_PROVIDERS": providers}
    first = make_application(**env).container.make(RateLimiterManager)
    second = make_application(**env).container.make(RateLimiterManager)
    limit = Limit.per_minute(2).by("k")

    assert (await first.consume("api", limit)).allowed
    assert (await second.consume("api", limit)).allowed
    assert not (await first.consume("api", limit)).allowed
    assert first.store_names() == ["memory", "redis", "shared"]


async def test_extend_replaces_the_store_in_use(limiter: RateLimiterManager) -> None:
    await limiter.hit("login:ada")
    fresh = MemoryStorage()

    limiter.extend(limiter.settings.store, lambda manager: fresh)

    assert await limiter.attempts("login:ada") == 0
    assert (await limiter.consume("api", Limit.per_minute(1).by("k"))).allowed
    assert not (await limiter.consume("api", Limit.per_minute(1).by("k"))).allowed
    assert limiter.storage is fresh


# -- across processes ------------------------------------------------------------------------------


async def test_two_limiters_on_one_redis_share_counts(
    make_application: MakeApplication, redis_url: str, redis_prefix: str
) -> None:
    env = redis_env(redis_url, redis_prefix)
    first = make_application(**env).container.make(RateLimiterManager)
    second = make_application(**env).container.make(RateLimiterManager)
    limit = Limit.per_minute(3).by("203.0.113.7")
    assert (await first.consume("api", limit)).allowed
    assert (await second.consume("api", limit)).remaining == 1
    assert (await first.consume("api", limit)).allowed
    assert not (await second.consume("api", limit)).allowed
    await first.hit("login:ada")
    assert await second.attempts("login:ada") == 1


async def test_redis_counters_live_under_the_app_prefix(
    make_application: MakeApplication, redis_url: str, redis_prefix: str
) -> None:
    app = make_application(**redis_env(redis_url, redis_prefix, RATE_LIMIT_PREFIX="limits"))
    limiter = app.container.make(RateLimiterManager)
    await limiter.consume("api", Limit.per_minute(3).by("k"))
    await limiter.hit("login:ada")
    keys = sorted([key async for key in limiter.redis.client().scan_iter(f"{redis_prefix}*")])
    assert keys == [
        f"{redis_prefix}limits:attempts/login%3Aada".encode(),
        f"{redis_prefix}limits:throttle/api/k/3/1/minute".encode(),
    ]


async def test_fake_keeps_the_limiters_with_fresh_memory_counters(
    make_application: MakeApplication, redis_url: str, redis_prefix: str
) -> None:
    app = make_application(**redis_env(redis_url, redis_prefix))
    real = app.container.make(RateLimiterManager)
    await real.hit("login:ada")
    fake = real.fake()
    assert app.container.make(RateLimiterManager) is fake
    assert fake.settings.store == "memory"
    assert fake.has_limiter("api")
    assert await fake.attempts("login:ada") == 0
