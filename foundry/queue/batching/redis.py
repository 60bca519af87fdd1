"""``RedisBatchRepository``: batches in Redis (``QUEUE_BATCHING=redis``).

A batch is a hash ``<prefix>batches:<id>`` with its failed job ids in the set
``<prefix>batches:<id>:failed``; the sorted set ``<prefix>batches`` lists the ids by creation
time (``queue:batches``, pruning). Each counter change is one Lua script: Redis runs scripts
one at a time, so the counters a script returns are the ones its own increment produced.

The hash ``<prefix>batches:<id>:jobs`` maps each counted member's uuid to its outcome; the
scripts change the counters only when they write that entry, so a member delivered again after
a worker crash is counted once. It is deleted (and pruned) with the batch.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from foundry.kernel.redis import RedisConnector
from foundry.queue.batching.batch import Batch, BatchCounts
from foundry.queue.batching.repository import BatchRepository

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RedisBatchRepository"]

_SUCCESS = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local outcome = redis.call('HGET', KEYS[3], ARGV[1])
if outcome and outcome ~= 'failed' then return false end
redis.call('HSET', KEYS[3], ARGV[1], 'succeeded')
local pending = redis.call('HINCRBY', KEYS[1], 'pending_jobs', -1)
redis.call('SREM', KEYS[2], ARGV[1])
if pending == 0 then redis.call('HSET', KEYS[1], 'finished_at', ARGV[2]) end
return {pending, tonumber(redis.call('HGET', KEYS[1], 'failed_jobs'))}
"""

_FAILURE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if redis.call('HSETNX', KEYS[3], ARGV[1], 'failed') == 0 then return false end
local failed = redis.call('HINCRBY', KEYS[1], 'failed_jobs', 1)
redis.call('SADD', KEYS[2], ARGV[1])
return {tonumber(redis.call('HGET', KEYS[1], 'pending_jobs')), failed}
"""

_INCREMENT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'total_jobs', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'pending_jobs', ARGV[1])
redis.call('HDEL', KEYS[1], 'finished_at')
return 1
"""

_CANCEL = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSETNX', KEYS[1], 'cancelled_at', ARGV[1])
redis.call('HSETNX', KEYS[1], 'finished_at', ARGV[1])
return 1
"""


def _text(value: bytes | str | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def _number(value: bytes | str | None) -> float | None:
    text = _text(value)
    return float(text) if text else None


class RedisBatchRepository(BatchRepository):
    """Batches on the app's Redis (``REDIS_URL``, keys under ``REDIS_PREFIX``)."""

    def __init__(self, connector: RedisConnector) -> None:
        self.connector = connector

    @property
    def client(self) -> Redis:
        return self.connector.client()

    @property
    def _index(self) -> str:
        return f"{self.connector.prefix}batches"

    def _key(self, batch_id: str) -> str:
        return f"{self._index}:{batch_id}"

    def _failed_key(self, batch_id: str) -> str:
        return f"{self._key(batch_id)}:failed"

    def _members_key(self, batch_id: str) -> str:
        return f"{self._key(batch_id)}:jobs"

    async def create(
        self, batch_id: str, name: str, total_jobs: int, options: dict[str, Any]
    ) -> Batch:
        now = time.time()
        fields: dict[str, str | int | float] = {
            "name": name,
            "total_jobs": total_jobs,
            "pending_jobs": total_jobs,
            "failed_jobs": 0,
            "options": json.dumps(options, separators=(",", ":")),
            "created_at": now,
        }
        if not total_jobs:
            fields["finished_at"] = now  # an empty batch has nothing to wait for
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(self._key(batch_id), mapping=fields)  # type: ignore[arg-type]  # redis-py's mapping type is invariant
            pipe.zadd(self._index, {batch_id: now})
            await pipe.execute()
        found = await self.find(batch_id)
        assert found is not None
        return found

    async def find(self, batch_id: str) -> Batch | None:
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.hgetall(self._key(batch_id))
            pipe.smembers(self._failed_key(batch_id))
            fields, failed = await pipe.execute()
        if not fields:
            return None
        row = {_text(key): value for key, value in fields.items()}
        return Batch(
            id=batch_id,
            name=_text(row.get("name")) or "",
            total_jobs=int(row.get("total_jobs") or 0),
            pending_jobs=int(row.get("pending_jobs") or 0),
            failed_jobs=int(row.get("failed_jobs") or 0),
            failed_job_ids=sorted(str(_text(item)) for item in failed),
            options=dict(json.loads(_text(row.get("options")) or "{}")),
            created_at=_number(row.get("created_at")) or 0.0,
            cancelled_at=_number(row.get("cancelled_at")),
            finished_at=_number(row.get("finished_at")),
            repository=self,
        )

    async def _ids(
        self, newest_first: bool = True, limit: int | None = None, offset: int = 0
    ) -> list[str]:
        stop = -1 if limit is None else offset + limit - 1
        ids = await self.client.zrange(self._index, offset, stop, desc=newest_first)
        return [item.decode() if isinstance(item, bytes) else str(item) for item in ids]

    async def recent(self, limit: int = 50) -> list[Batch]:
        return await self.page(0, limit)

    async def page(self, offset: int, limit: int) -> list[Batch]:
        ids = await self._ids(limit=limit, offset=offset)
        found = [await self.find(batch_id) for batch_id in ids]
        return [batch for batch in found if batch is not None]

    async def count(self) -> int:
        return int(await self.client.zcard(self._index))

    async def increment_total(self, batch_id: str, amount: int) -> None:
        await self.client.eval(_INCREMENT, 1, self._key(batch_id), amount)

    async def _script(self, script: str, batch_id: str, *args: str) -> BatchCounts | None:
        keys = (self._key(batch_id), self._failed_key(batch_id), self._members_key(batch_id))
        result = await self.client.eval(script, len(keys), *keys, *args)
        if not result:
            return None
        return BatchCounts(int(result[0]), int(result[1]))

    async def record_success(self, batch_id: str, job_id: str) -> BatchCounts | None:
        return await self._script(_SUCCESS, batch_id, job_id, repr(time.time()))

    async def record_failure(self, batch_id: str, job_id: str) -> BatchCounts | None:
        return await self._script(_FAILURE, batch_id, job_id)

    async def cancel(self, batch_id: str) -> None:
        await self.client.eval(_CANCEL, 1, self._key(batch_id), repr(time.time()))

    async def delete(self, batch_id: str) -> None:
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(
                self._key(batch_id), self._failed_key(batch_id), self._members_key(batch_id)
            )
            pipe.zrem(self._index, batch_id)
            await pipe.execute()

    async def _prune(self, doomed: Any) -> int:
        count = 0
        for batch_id in await self._ids(newest_first=False):
            batch = await self.find(batch_id)
            if batch is None:
                await self.client.zrem(self._index, batch_id)
            elif doomed(batch):
                await self.delete(batch_id)
                count += 1
        return count

    async def prune(self, before: float) -> int:
        return await self._prune(lambda b: b.finished_at is not None and b.finished_at < before)

    async def prune_unfinished(self, before: float) -> int:
        return await self._prune(lambda b: b.finished_at is None and b.created_at < before)

    async def prune_cancelled(self, before: float) -> int:
        return await self._prune(lambda b: b.cancelled_at is not None and b.created_at < before)
