"""``cache:clear`` empties the configured store (file, Redis) and only that."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from foundry.cache.manager import CacheManager
from tests.conftest import MakeApplication
from tests.foundry.console.helpers import artisan


@pytest.fixture(params=["file", "redis"])
def cache_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    env = {"CACHE_STORE": request.param, "CACHE_PATH": str(tmp_path / "cache")}
    if request.param == "redis":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
        env["REDIS_PREFIX"] = request.getfixturevalue("redis_prefix")
    return env


async def test_clear_flushes_the_default_store(
    make_application: MakeApplication, cache_env: dict[str, str]
) -> None:
    cache = make_application(**cache_env).container.make(CacheManager)
    await cache.store().put("greeting", "hello", 600)
    await cache.store("array").put("greeting", "kept")  # another store is left alone

    # artisan runs its own event loop: off this test's loop, on a thread.
    result = await asyncio.to_thread(artisan, "cache:clear", env=cache_env)

    assert result.exit_code == 0, result.stderr
    assert f"Application cache [{cache_env['CACHE_STORE']}] cleared successfully." in result.stdout
    assert await cache.store().get("greeting") is None
    assert await cache.store("array").get("greeting") == "kept"


def test_an_unknown_store_fails_with_one_line(cache_env: dict[str, str]) -> None:
    result = artisan("cache:clear", "nope", env=cache_env)

    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "nope" in result.stderr
