"""The repository API on every store: what a caller of ``Cache.get``/``put``/... sees."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from foundry.cache import CacheSerializationError, NonNumericValueError
from foundry.cache.serialization import JsonValue
from tests.foundry.cache.conftest import CacheUnderTest


async def test_get_returns_the_default_for_a_missing_key(cache: CacheUnderTest) -> None:
    assert await cache.repository.get("absent") is None
    assert await cache.repository.get("absent", "fallback") == "fallback"


@pytest.mark.parametrize(
    "value",
    ["text ünïcode", 42, 3.5, True, False, [1, "two", None], {"nested": {"list": [1, 2]}}],
)
async def test_put_then_get_round_trips_json_values(
    cache: CacheUnderTest, value: JsonValue
) -> None:
    assert await cache.repository.put("key", value, 60) is True
    assert await cache.repository.get("key") == value
    assert type(await cache.repository.get("key")) is type(value)


async def test_untyped_callers_get_tuples_back_as_lists_and_sets_refused(
    cache: CacheUnderTest,
) -> None:
    await cache.repository.put("pair", (1, 2))  # type: ignore[arg-type]  # mypy refuses tuples
    assert await cache.repository.get("pair") == [1, 2]
    with pytest.raises(CacheSerializationError, match="set"):
        await cache.repository.put("bad", {1, 2})  # type: ignore[arg-type]  # and sets
    assert await cache.repository.get("bad") is None


async def test_an_entry_expires_after_its_ttl(cache: CacheUnderTest) -> None:
    await cache.repository.put("short", "value", timedelta(milliseconds=200))
    await cache.repository.forever("long", "value")
    assert await cache.repository.get("short") == "value"
    await cache.travel(0.35)
    assert await cache.repository.get("short") is None
    assert await cache.repository.get("long") == "value"


async def test_a_ttl_of_zero_or_less_removes_the_key(cache: CacheUnderTest) -> None:
    await cache.repository.put("key", "value")
    assert await cache.repository.put("key", "new", 0) is False
    assert await cache.repository.get("key") is None
    assert await cache.repository.add("key", "value", -5) is False
    assert await cache.repository.has("key") is False


async def test_add_stores_only_when_the_key_is_missing(cache: CacheUnderTest) -> None:
    assert await cache.repository.add("key", "first", timedelta(milliseconds=200)) is True
    assert await cache.repository.add("key", "second") is False
    assert await cache.repository.get("key") == "first"
    await cache.travel(0.35)
    assert await cache.repository.add("key", "third") is True
    assert await cache.repository.get("key") == "third"


async def test_concurrent_adds_let_exactly_one_win(cache: CacheUnderTest) -> None:
    results = await asyncio.gather(*(cache.repository.add("once", i, 60) for i in range(20)))
    assert results.count(True) == 1
    assert await cache.repository.get("once") == results.index(True)


async def test_forget_has_missing_and_pull(cache: CacheUnderTest) -> None:
    await cache.repository.put("key", "value")
    await cache.repository.put("nothing", None)
    assert await cache.repository.has("key") and not await cache.repository.missing("key")
    assert not await cache.repository.has("nothing")
    assert await cache.repository.forget("key") is True
    assert await cache.repository.forget("key") is False
    assert await cache.repository.missing("key")
    await cache.repository.put("once", [1])
    assert await cache.repository.pull("once") == [1]
    assert await cache.repository.pull("once", "gone") == "gone"


async def test_remember_calls_the_callback_only_on_a_miss(cache: CacheUnderTest) -> None:
    calls: list[int] = []

    def compute() -> dict[str, int]:
        calls.append(1)
        return {"answer": 42}

    ttl = timedelta(milliseconds=200)
    assert await cache.repository.remember("key", ttl, compute) == {"answer": 42}
    assert await cache.repository.remember("key", ttl, compute) == {"answer": 42}
    assert len(calls) == 1
    await cache.travel(0.35)
    assert await cache.repository.remember("key", ttl, compute) == {"answer": 42}
    assert len(calls) == 2


async def test_remember_accepts_async_callbacks(cache: CacheUnderTest) -> None:
    calls: list[int] = []

    async def compute() -> list[int]:
        calls.append(1)
        return [1, 2]

    first = await cache.repository.remember("pair", timedelta(minutes=1), compute)
    second = await cache.repository.remember("pair", timedelta(minutes=1), compute)
    assert first == second == [1, 2]
    assert len(calls) == 1


async def test_remember_forever_never_expires(cache: CacheUnderTest) -> None:
    assert await cache.repository.remember_forever("key", lambda: "value") == "value"
    await cache.travel(0.2 if cache.clock is None else 10 * 365 * 86400)
    assert await cache.repository.remember_forever("key", lambda: "other") == "value"


async def test_increment_and_decrement(cache: CacheUnderTest) -> None:
    assert await cache.repository.increment("hits") == 1
    assert await cache.repository.increment("hits", 5) == 6
    assert await cache.repository.decrement("hits", 2) == 4
    assert await cache.repository.decrement("hits") == 3
    assert await cache.repository.get("hits") == 3
    await cache.repository.put("negative", 1)
    assert await cache.repository.decrement("negative", 3) == -2


async def test_increment_keeps_the_entry_expiry(cache: CacheUnderTest) -> None:
    await cache.repository.put("hits", 10, timedelta(milliseconds=200))
    assert await cache.repository.increment("hits") == 11
    await cache.travel(0.35)
    assert await cache.repository.get("hits") is None


async def test_increment_refuses_a_value_that_is_not_an_integer(cache: CacheUnderTest) -> None:
    for value in ("text", 1.5, True):
        await cache.repository.put("key", value)
        with pytest.raises(NonNumericValueError):
            await cache.repository.increment("key")
        assert await cache.repository.get("key") == value


async def test_concurrent_increments_are_not_lost(cache: CacheUnderTest) -> None:
    await asyncio.gather(*(cache.repository.increment("counter") for _ in range(30)))
    assert await cache.repository.get("counter") == 30


async def test_many_and_put_many(cache: CacheUnderTest) -> None:
    assert await cache.repository.put_many({"a": 1, "b": [2]}, timedelta(milliseconds=200))
    await cache.repository.put("c", "three")
    assert await cache.repository.many(["a", "b", "c", "d"]) == {
        "a": 1,
        "b": [2],
        "c": "three",
        "d": None,
    }
    await cache.travel(0.35)
    assert await cache.repository.many(["a", "b", "c"]) == {"a": None, "b": None, "c": "three"}
    assert await cache.repository.many([]) == {}


async def test_flush_removes_every_entry(cache: CacheUnderTest) -> None:
    await cache.repository.put_many({"a": 1, "b": 2})
    await cache.repository.increment("c")
    await cache.repository.flush()
    assert await cache.repository.many(["a", "b", "c"]) == {"a": None, "b": None, "c": None}
    await cache.repository.put("a", "again")
    assert await cache.repository.get("a") == "again"
