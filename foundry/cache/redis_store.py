"""The ``redis`` store: entries on the Redis server, shared by every process and machine.

Keys are ``REDIS_PREFIX`` + ``CACHE_PREFIX`` + key; expiry is Redis's own (``PX``), so nothing
needs cleaning up. ``flush`` deletes only keys under that prefix (never ``FLUSHDB``: the queue
and other apps may share the database). Locks live beside the entries, under
``REDIS_PREFIX`` + ``lock:`` + ``CACHE_PREFIX``, so flushing the cache leaves held locks alone.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from foundry.cache.errors import NonNumericValueError
from foundry.cache.lock import Lock
from foundry.cache.store import TaggableStore
from foundry.kernel.redis import RedisConnector

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RedisLock", "RedisStore"]

_BATCH = 500

# Delete the lock only if it still holds our owner token: a GET then DEL from the client could
# delete a lock that expired and was taken by someone else in between.
_RELEASE = """
if redis.call("get", KEYS[1]) == ARGV[1] then
    return redis.call("del", KEYS[1])
end
return 0
"""


def _milliseconds(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)


def _text(raw: bytes | str | None) -> str | None:
    if raw is None:
        return None
    return raw.decode("utf-8") if isinstance(raw, bytes) else raw


class RedisStore(TaggableStore):
    """Entries on Redis through the app's shared :class:`RedisConnector` pool."""

    def __init__(self, connector: RedisConnector, prefix: str = "cache:") -> None:
        self.connector = connector
        self.prefix = connector.prefix + prefix
        self.lock_prefix = connector.prefix + "lock:" + prefix

    @property
    def client(self) -> Redis:
        """The shared ``redis.asyncio`` client."""
        return self.connector.client()

    def _key(self, key: str) -> str:
        return self.prefix + key

    async def get(self, key: str) -> str | None:
        return _text(await self.client.get(self._key(key)))

    async def many(self, keys: Sequence[str]) -> dict[str, str | None]:
        if not keys:
            return {}
        values = await self.client.mget([self._key(key) for key in keys])
        return {key: _text(value) for key, value in zip(keys, values)}

    async def put(self, key: str, value: str, ttl: float | None) -> None:
        px = None if ttl is None else _milliseconds(ttl)
        await self.client.set(self._key(key), value, px=px)

    async def put_many(self, values: Mapping[str, str], ttl: float | None) -> None:
        px = None if ttl is None else _milliseconds(ttl)
        async with self.client.pipeline(transaction=True) as pipe:
            for key, value in values.items():
                pipe.set(self._key(key), value, px=px)
            await pipe.execute()

    async def add(self, key: str, value: str, ttl: float | None) -> bool:
        px = None if ttl is None else _milliseconds(ttl)
        return bool(await self.client.set(self._key(key), value, nx=True, px=px))

    async def increment(self, key: str, by: int) -> int:
        from redis.exceptions import ResponseError

        try:
            return int(await self.client.incrby(self._key(key), by))
        except ResponseError as exc:
            raise NonNumericValueError(f"cache key {key!r} does not hold an integer") from exc

    async def forget(self, key: str) -> bool:
        return bool(await self.client.delete(self._key(key)))

    async def flush(self) -> None:
        await self._delete_matching(_glob_escape(self.prefix) + "*")

    async def _delete_matching(self, pattern: str) -> None:
        batch: list[bytes | str] = []
        async for key in self.client.scan_iter(match=pattern, count=_BATCH):
            batch.append(key)
            if len(batch) >= _BATCH:
                await self.client.unlink(*batch)
                batch = []
        if batch:
            await self.client.unlink(*batch)

    # -- tags ------------------------------------------------------------------------------------

    def _tag_index(self, tag: str) -> str:
        return self._key(f"__tag:{tag}:entries")

    async def tag_key(self, tag: str, key: str, ttl: float | None) -> None:
        # A sorted set scored by expiry: members past their expiry are pruned on each write, so
        # the index of a tag that is never flushed does not grow without bound.
        now = time.time()
        expires_at = float("inf") if ttl is None else now + ttl
        index = self._tag_index(tag)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.zadd(index, {key: expires_at})
            pipe.zremrangebyscore(index, "-inf", now)
            await pipe.execute()

    async def flush_tag(self, tag: str) -> None:
        index = self._tag_index(tag)
        members = await self.client.zrange(index, 0, -1)
        keys = [self._key(_text(m) or "") for m in members if isinstance(m, (bytes, str))]
        for start in range(0, len(keys), _BATCH):
            await self.client.unlink(*keys[start : start + _BATCH])
        await self.client.unlink(index)

    # -- locks -----------------------------------------------------------------------------------

    def lock(self, name: str, seconds: float, owner: str | None = None) -> RedisLock:
        return RedisLock(self, name, seconds, owner)


class RedisLock(Lock):
    """A lock on Redis: ``SET NX`` to take it, a compare-and-delete script to release it."""

    def __init__(self, store: RedisStore, name: str, seconds: float, owner: str | None) -> None:
        super().__init__(name, seconds, owner)
        self._store = store
        self.key = store.lock_prefix + name

    async def acquire(self) -> bool:
        px = _milliseconds(self.seconds) if self.seconds else None
        return bool(await self._store.client.set(self.key, self.owner, nx=True, px=px))

    async def release(self) -> bool:
        client = self._store.client
        script = client.register_script(_RELEASE)
        return bool(await script(keys=[self.key], args=[self.owner]))

    async def force_release(self) -> None:
        await self._store.client.delete(self.key)

    async def current_owner(self) -> str | None:
        return _text(await self._store.client.get(self.key))
