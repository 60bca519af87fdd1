"""Builds the ``limits`` storage and strategy that hold the counters.

``memory`` keeps counters in this process. ``redis`` uses ``limits.aio``'s Redis storage through
redis-py (``implementation="redispy"``; its default, coredis, is not installed) on the app's own
connection pool, so the limiter opens no connections of its own and closes with the app. The
``limits[redis]`` extra pins ``redis<8``; redis 8 is installed directly and works with it.
"""

from __future__ import annotations

from typing import Any

from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import (
    FixedWindowRateLimiter,
    MovingWindowRateLimiter,
    RateLimiter,
    SlidingWindowCounterRateLimiter,
)

from foundry.config.rate_limiting import RateLimitSettings
from foundry.kernel.redis import RedisConnector

__all__ = ["close_storage", "create_strategy", "redis_storage"]


def _limits_uri(url: str) -> str:
    """``limits`` wants ``async+redis://``-style URIs; ``unix://`` becomes ``async+redis+unix://``."""
    if url.startswith("unix://"):
        return "async+redis+unix://" + url.removeprefix("unix://")
    return "async+" + url


def redis_storage(settings: RateLimitSettings, redis: RedisConnector) -> Storage:
    """The ``redis`` counter storage: the app's Redis, under ``REDIS_PREFIX`` + the limiter's."""
    options: dict[str, Any] = {"connection_pool": redis.client().connection_pool}
    return RedisStorage(
        _limits_uri(redis.settings.url),
        implementation="redispy",
        key_prefix=redis.prefix + settings.prefix,
        **options,
    )


def create_strategy(settings: RateLimitSettings, storage: Storage) -> RateLimiter:
    """The window strategy named by ``RATE_LIMIT_STRATEGY``."""
    if settings.strategy == "moving-window":
        return MovingWindowRateLimiter(storage)
    if settings.strategy == "sliding-window-counter":
        return SlidingWindowCounterRateLimiter(storage)
    return FixedWindowRateLimiter(storage)


async def close_storage(storage: Storage) -> None:
    """Stop the memory storage's expiry task (the Redis pool belongs to the app and closes with it)."""
    if isinstance(storage, MemoryStorage):
        timer = storage.timer
        if timer is not None and not timer.done():
            timer.cancel()
