"""Atomic locks on every store: one owner at a time, blocking with a timeout."""

from __future__ import annotations

import asyncio

import pytest

from foundry.cache import LockTimeoutError
from tests.foundry.cache.conftest import CacheUnderTest


async def test_only_one_owner_holds_a_lock(cache: CacheUnderTest) -> None:
    first = cache.manager.lock("report", 10)
    second = cache.manager.lock("report", 10)
    assert await first.acquire() is True
    assert await second.acquire() is False
    assert await first.is_owned() and not await second.is_owned()
    assert await cache.manager.lock("other", 10).acquire() is True


async def test_only_the_owner_releases(cache: CacheUnderTest) -> None:
    first = cache.manager.lock("report", 10)
    second = cache.manager.lock("report", 10)
    await first.acquire()
    assert await second.release() is False
    assert await first.current_owner() == first.owner
    assert await first.release() is True
    assert await first.current_owner() is None
    assert await second.acquire() is True


async def test_a_restored_lock_releases_from_elsewhere(cache: CacheUnderTest) -> None:
    lock = cache.manager.lock("job", 10)
    await lock.acquire()
    restored = cache.manager.restore_lock("job", lock.owner)
    assert await restored.release() is True
    assert await cache.manager.lock("job", 10).acquire() is True


async def test_force_release_frees_a_lock_whoever_holds_it(cache: CacheUnderTest) -> None:
    await cache.manager.lock("job", 10).acquire()
    other = cache.manager.lock("job", 10)
    await other.force_release()
    assert await other.acquire() is True


async def test_a_lock_expires_after_its_seconds(cache: CacheUnderTest) -> None:
    assert await cache.manager.lock("job", 0.2).acquire()
    assert await cache.manager.lock("forever", 0).acquire()
    assert not await cache.manager.lock("job", 10).acquire()
    await cache.travel(0.35)
    assert await cache.manager.lock("job", 10).acquire() is True
    assert await cache.manager.lock("forever", 10).acquire() is False


async def test_flushing_the_cache_leaves_locks_held(cache: CacheUnderTest) -> None:
    await cache.manager.lock("job", 10).acquire()
    await cache.manager.flush()
    assert await cache.manager.lock("job", 10).acquire() is False


async def test_block_waits_for_the_holder_to_release(cache: CacheUnderTest) -> None:
    holder = cache.manager.lock("job", 10)
    await holder.acquire()

    async def release_soon() -> None:
        await asyncio.sleep(0.2)
        await holder.release()

    waiter = cache.manager.lock("job", 10).retry_every(0.02)
    releasing = asyncio.create_task(release_soon())
    assert await waiter.block(5) is True
    await releasing
    assert await waiter.is_owned()


async def test_block_gives_up_after_the_timeout(cache: CacheUnderTest) -> None:
    await cache.manager.lock("job", 10).acquire()
    waiter = cache.manager.lock("job", 10).retry_every(0.02)
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(LockTimeoutError, match="job"):
        await waiter.block(0.2)
    assert 0.15 <= loop.time() - started < 1.5


async def test_block_with_a_callback_runs_it_and_releases(cache: CacheUnderTest) -> None:
    async def work() -> str:
        return "done"

    lock = cache.manager.lock("job", 10)
    assert await lock.block(1, work) == "done"
    assert await lock.block(1, lambda: 7) == 7
    assert await lock.current_owner() is None


async def test_async_with_holds_the_lock_for_the_block(cache: CacheUnderTest) -> None:
    async with cache.manager.lock("job", 10) as lock:
        assert await lock.is_owned()
        with pytest.raises(LockTimeoutError):
            async with cache.manager.lock("job", 10):
                pass
    assert await cache.manager.lock("job", 10).current_owner() is None


async def test_contending_tasks_take_turns(cache: CacheUnderTest) -> None:
    """A read-modify-write under the lock loses no update, though each step awaits."""
    await cache.manager.put("balance", 0)

    async def deposit() -> None:
        async def step() -> None:
            value = await cache.manager.get("balance")
            await asyncio.sleep(0.005)
            await cache.manager.put("balance", value + 1)

        await cache.manager.lock("balance", 10).retry_every(0.005).block(10, step)

    await asyncio.gather(*(deposit() for _ in range(8)))
    assert await cache.manager.get("balance") == 8
