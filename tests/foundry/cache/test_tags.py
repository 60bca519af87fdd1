"""Cache tags on the array and Redis stores, and the clear refusal on the file store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from foundry.cache import CacheManager, TagsNotSupportedError
from tests.conftest import MakeApplication
from tests.foundry.cache.conftest import PROVIDERS, CacheUnderTest


async def test_a_tagged_entry_is_read_back_with_the_same_tags(taggable: CacheUnderTest) -> None:
    tagged = taggable.manager.tags(["users", "posts"])
    await tagged.put("key", {"id": 1}, 60)
    assert await tagged.get("key") == {"id": 1}
    assert await taggable.manager.tags(["users", "posts"]).get("key") == {"id": 1}
    # Tags are part of the key: untagged or differently tagged reads do not see it.
    assert await taggable.manager.get("key") is None
    assert await taggable.manager.tags("users").get("key") is None


async def test_flushing_a_tag_removes_every_entry_stored_with_it(taggable: CacheUnderTest) -> None:
    cache = taggable.manager
    await cache.tags(["users", "posts"]).put("both", 1)
    await cache.tags("users").put_many({"u1": 1, "u2": 2})
    await cache.tags("users").add("u3", 3)
    await cache.tags("users").increment("u4")
    await cache.tags("posts").forever("p1", 1)
    await cache.put("plain", 1)

    await cache.tags("users").flush()

    assert await cache.tags(["users", "posts"]).get("both") is None
    assert await cache.tags("users").many(["u1", "u2", "u3", "u4"]) == dict.fromkeys(
        ["u1", "u2", "u3", "u4"]
    )
    assert await cache.tags("posts").get("p1") == 1
    assert await cache.get("plain") == 1


async def test_a_tagged_cache_works_again_after_a_flush(taggable: CacheUnderTest) -> None:
    users = taggable.manager.tags("users")
    await users.put("key", "old")
    await users.flush()
    assert await users.remember("key", timedelta(minutes=1), lambda: "new") == "new"
    assert await taggable.manager.tags("users").get("key") == "new"


async def test_tagged_entries_expire(taggable: CacheUnderTest) -> None:
    users = taggable.manager.tags("users")
    await users.put("key", "value", timedelta(milliseconds=200))
    await taggable.travel(0.35)
    assert await users.get("key") is None


async def test_flushing_a_tag_on_redis_deletes_the_keys(
    make_application: MakeApplication,
    redis_url: str,
    redis_prefix: str,
    tmp_path: Path,
) -> None:
    app = make_application(
        CACHE_STORE="redis", REDIS_URL=redis_url, REDIS_PREFIX=redis_prefix, APP_PROVIDERS=PROVIDERS
    )
    cache = app.container.make(CacheManager)
    await cache.tags("users").put_many({f"k{i}": i for i in range(5)})
    await cache.put("plain", 1)
    client = cache.redis.client()
    before = [key async for key in client.scan_iter(match=f"{redis_prefix}*")]

    await cache.tags("users").flush()

    after = {key async for key in client.scan_iter(match=f"{redis_prefix}*")}
    assert len(before) - len(after) >= 5  # the five entries (and the tag's index) are gone
    assert f"{redis_prefix}cache:plain".encode() in after


async def test_tags_on_the_file_store_raise_a_clear_error(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    app = make_application(CACHE_STORE="file", CACHE_PATH=str(tmp_path), APP_PROVIDERS=PROVIDERS)
    with pytest.raises(TagsNotSupportedError, match="file cache store does not support tags"):
        app.container.make(CacheManager).tags("users")
