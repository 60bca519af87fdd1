"""Fixtures for the cache tests: an app per store, and a clock the tests can move."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from foundry.cache import CacheManager, Repository
from foundry.kernel.application import Application
from tests.conftest import MakeApplication

PROVIDERS = json.dumps(["foundry.cache.provider.CacheServiceProvider"])


class FakeClock:
    """Seconds since the epoch that only move when told to."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class CacheUnderTest:
    """One app whose default cache store is ``name``."""

    name: str
    app: Application
    manager: CacheManager
    clock: FakeClock | None

    @property
    def repository(self) -> Repository:
        return self.manager.store()

    async def travel(self, seconds: float) -> None:
        """Let ``seconds`` pass: on the fake clock, or for real on Redis (whose TTLs are its own)."""
        if self.clock is not None:
            self.clock.advance(seconds)
        else:
            await asyncio.sleep(seconds)


def cache_app(
    request: pytest.FixtureRequest, make_application: MakeApplication, path: Path, store: str
) -> CacheUnderTest:
    """Build an app on ``store``, asking for the Redis fixtures only when needed."""
    env = {"CACHE_STORE": store, "CACHE_PATH": str(path), "APP_PROVIDERS": PROVIDERS}
    if store == "redis":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
        env["REDIS_PREFIX"] = request.getfixturevalue("redis_prefix")
    app = make_application(**env)
    manager = app.container.make(CacheManager)
    clock = None
    if store != "redis":
        # The same manager the provider binds, but on a clock the test moves.
        clock = FakeClock()
        manager = CacheManager(manager.settings, manager.redis, clock)
        app.container.instance(CacheManager, manager)
    return CacheUnderTest(store, app, manager, clock)


REDIS = pytest.param("redis", marks=pytest.mark.redis)


@pytest.fixture(params=["array", "file", REDIS])
def cache(
    request: pytest.FixtureRequest, make_application: MakeApplication, tmp_path: Path
) -> CacheUnderTest:
    """An app on each store in turn."""
    return cache_app(request, make_application, tmp_path / "cache", str(request.param))


@pytest.fixture(params=["array", REDIS])
def taggable(
    request: pytest.FixtureRequest, make_application: MakeApplication, tmp_path: Path
) -> CacheUnderTest:
    """An app on each store that supports tags."""
    return cache_app(request, make_application, tmp_path / "cache", str(request.param))
