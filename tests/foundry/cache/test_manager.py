"""The cache manager and the ``Cache`` facade inside an application."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from foundry.cache import (
    ArrayStore,
    Cache,
    CacheManager,
    FileStore,
    RedisStore,
    UnknownStoreError,
)
from foundry.kernel.application import Application
from foundry.kernel.providers import ServiceProvider
from tests.conftest import MakeApplication
from tests.foundry.cache.conftest import PROVIDERS

#: One store shared by every app in this module that names ``shared`` (a server of its own).
SHARED = ArrayStore()


class SharedStoreProvider(ServiceProvider):
    """What an app's own provider does: add a store in ``boot``."""

    def boot(self, app: Application) -> None:
        app.container.make(CacheManager).extend("shared", lambda manager: SHARED)


def test_the_default_store_follows_cache_store(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    app = make_application(CACHE_STORE="file", CACHE_PATH=str(tmp_path), APP_PROVIDERS=PROVIDERS)
    cache = app.container.make(CacheManager)
    assert isinstance(cache.store().store, FileStore)
    assert cache.store() is cache.store("file")
    assert isinstance(cache.store("array").store, ArrayStore)
    assert isinstance(cache.store("redis").store, RedisStore)


def test_the_file_store_is_the_embedded_default(
    make_application: MakeApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CACHE_STORE")
    app = make_application(CACHE_PATH=str(tmp_path), APP_PROVIDERS=PROVIDERS)
    assert app.container.make(CacheManager).default_store == "file"


def test_an_unknown_store_fails_at_start_up(make_application: MakeApplication) -> None:
    with pytest.raises(UnknownStoreError, match="'memcached'.*array, file, redis"):
        make_application(CACHE_STORE="memcached", APP_PROVIDERS=PROVIDERS)


async def test_the_facade_reaches_the_default_store(make_application: MakeApplication) -> None:
    make_application(CACHE_STORE="array", APP_PROVIDERS=PROVIDERS)
    await Cache.put("key", "value", 60)
    assert await Cache.get("key") == "value"
    assert await Cache.store("array").get("key") == "value"
    assert await Cache.remember("other", 60, lambda: 3) == 3


async def test_fake_swaps_in_an_empty_array_store(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    app = make_application(CACHE_STORE="file", CACHE_PATH=str(tmp_path), APP_PROVIDERS=PROVIDERS)
    await Cache.put("key", "on disk")
    fake = Cache.fake()
    assert app.container.make(CacheManager) is fake
    assert isinstance(fake.store().store, ArrayStore)
    assert await Cache.get("key") is None
    await Cache.put("key", "in memory")
    assert await FileStore(tmp_path, prefix="cache:").get("key") == '"on disk"'


async def test_extend_adds_a_named_store(make_application: MakeApplication) -> None:
    app = make_application(CACHE_STORE="array", APP_PROVIDERS=PROVIDERS)
    cache = app.container.make(CacheManager)
    shared = ArrayStore()
    cache.extend("shared", lambda manager: shared)
    await cache.store("shared").put("key", 1)
    assert await shared.get("key") == "1"
    assert "shared" in cache.store_names()


async def test_extend_replaces_a_built_in_store_even_once_it_was_used(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    app = make_application(CACHE_STORE="file", CACHE_PATH=str(tmp_path), APP_PROVIDERS=PROVIDERS)
    cache = app.container.make(CacheManager)
    await cache.put("key", "on disk")
    shared = ArrayStore()

    cache.extend("file", lambda manager: shared)

    assert await cache.get("key") is None
    await cache.put("key", "in memory")
    assert await shared.get("key") == '"in memory"'
    assert cache.store_names() == ["array", "file", "redis"]


async def test_a_store_added_in_the_apps_own_boot_can_be_the_default(
    make_application: MakeApplication,
) -> None:
    providers = json.loads(PROVIDERS) + [f"{__name__}.SharedStoreProvider"]
    make_application(CACHE_STORE="shared", APP_PROVIDERS=json.dumps(providers))

    await Cache.put("greeting", "hello")

    assert await SHARED.get("greeting") == '"hello"'
    with pytest.raises(UnknownStoreError, match="'missing'.*array, file, redis, shared"):
        Cache.store("missing")


async def test_fake_keeps_added_stores_but_its_array_store_is_the_real_one(
    make_application: MakeApplication,
) -> None:
    app = make_application(CACHE_STORE="array", APP_PROVIDERS=PROVIDERS)
    cache = app.container.make(CacheManager)
    shared = ArrayStore()
    cache.extend("shared", lambda manager: shared)
    cache.extend("array", lambda manager: shared)

    fake = Cache.fake()

    assert fake.store("shared").store is shared
    await Cache.put("key", 1)
    assert await shared.get("key") is None


async def test_redis_keys_carry_both_prefixes_and_flush_spares_other_keys(
    make_application: MakeApplication, redis_url: str, redis_prefix: str
) -> None:
    app = make_application(
        CACHE_STORE="redis",
        CACHE_PREFIX="c:",
        REDIS_URL=redis_url,
        REDIS_PREFIX=redis_prefix,
        APP_PROVIDERS=PROVIDERS,
    )
    cache = app.container.make(CacheManager)
    client = cache.redis.client()
    await client.set(f"{redis_prefix}queue:job", "not the cache's")
    await cache.put("key", {"a": 1})
    assert await client.get(f"{redis_prefix}c:key") == b'{"a":1}'

    await cache.flush()

    assert await client.get(f"{redis_prefix}c:key") is None
    assert await client.get(f"{redis_prefix}queue:job") == b"not the cache's"


async def test_two_apps_on_one_redis_share_entries(
    make_application: MakeApplication, redis_url: str, redis_prefix: str
) -> None:
    env = {
        "CACHE_STORE": "redis",
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
        "APP_PROVIDERS": PROVIDERS,
    }
    first = make_application(**env).container.make(CacheManager)
    second = make_application(**env).container.make(CacheManager)
    await first.put("key", "shared")
    assert await second.get("key") == "shared"
    assert await first.lock("job", 10).acquire()
    assert not await second.lock("job", 10).acquire()
