"""Checked by mypy only, never run: the ``Cache`` and ``RateLimiter`` facades are typed.

Each ``type: ignore[...]`` marks a call mypy must reject; ``warn_unused_ignores`` (part of
``--strict``) fails the check if mypy ever stops rejecting it.
"""

from __future__ import annotations

from typing import Any, assert_type

from foundry.cache import Cache, CacheManager, Lock, Repository
from foundry.rate_limiting import Limit, RateLimiter


async def well_typed() -> None:
    assert_type(await Cache.get("key"), Any)
    assert_type(await Cache.put("key", {"a": [1, 2]}, 60), bool)
    assert_type(await Cache.increment("hits"), int)
    assert_type(Cache.store("redis"), Repository)
    assert_type(Cache.lock("report", 10), Lock)
    assert_type(Cache.swap(Cache.fake()), CacheManager)
    assert_type(await RateLimiter.hit("login:ada", 60), int)
    RateLimiter.for_("api", lambda request: Limit.per_minute(60).by("key"))


async def rejected() -> None:
    await Cache.get(1)  # type: ignore[arg-type]
    await Cache.put("key", (1, 2))  # type: ignore[arg-type]
    await Cache.forgett("key")  # type: ignore[attr-defined]
    await RateLimiter.hit("key", "60")  # type: ignore[arg-type]
    Limit.per_minute("60")  # type: ignore[arg-type]
