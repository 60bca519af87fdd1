"""Metrics on Redis: one hash per minute (expiring with the retention), workers in a sorted set.

Keys (after ``REDIS_PREFIX``): ``queue:metrics:<minute>`` holds fields
``<connection>\\x1f<queue>\\x1f<job>\\x1f<stat>``; ``queue:workers`` scores worker ids by their
last heartbeat and ``queue:worker:<id>`` holds each one's JSON. A flush is one script call per
minute touched, all in one pipeline.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from foundry.queue.metrics.store import GONE_KEPT, MetricsStore, WorkerInfo
from foundry.queue.metrics.tally import SeriesKey, Tally

if TYPE_CHECKING:
    from foundry.kernel.redis import RedisConnector

__all__ = ["RedisMetricsStore"]

_SEP = "\x1f"
#: ARGV[1] is when the hash expires (EXPIREAT: a minute already past its retention is dropped);
#: then (op, field, value) triples: ``i`` adds an integer, ``f`` a float, ``m`` keeps the max.
_ADD = """
for i = 2, #ARGV, 3 do
  local op, field, value = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  if op == 'i' then
    redis.call('HINCRBY', KEYS[1], field, value)
  elseif op == 'f' then
    redis.call('HINCRBYFLOAT', KEYS[1], field, value)
  else
    local current = tonumber(redis.call('HGET', KEYS[1], field) or '0')
    if tonumber(value) > current then redis.call('HSET', KEYS[1], field, value) end
  end
end
redis.call('EXPIREAT', KEYS[1], ARGV[1])
"""
_INTS = {
    "processed": "p",
    "failed": "f",
    "released": "r",
    "runtime_count": "rc",
    "wait_count": "wc",
}
_FLOATS = {"runtime_sum": "rs", "wait_sum": "ws"}


def _argv(key: SeriesKey, tally: Tally) -> list[str]:
    base = f"{key.connection}{_SEP}{key.queue}{_SEP}{key.job}{_SEP}"
    argv: list[str] = []
    for name, short in _INTS.items():
        value = getattr(tally, name)
        if value:
            argv += ["i", base + short, str(value)]
    for name, short in _FLOATS.items():
        value = getattr(tally, name)
        if value:
            argv += ["f", base + short, repr(value)]
    if tally.runtime_count:
        argv += ["m", base + "rm", repr(tally.runtime_max)]
    for index, count in tally.bins.items():
        argv += ["i", f"{base}h{index}", str(count)]
    return argv


def _apply(tally: Tally, stat: str, raw: bytes) -> None:
    if stat.startswith("h"):
        tally.bins[int(stat[1:])] = int(raw)
        return
    for name, short in _INTS.items():
        if short == stat:
            setattr(tally, name, int(raw))
            return
    for name, short in _FLOATS.items():
        if short == stat:
            setattr(tally, name, float(raw))
            return
    if stat == "rm":
        tally.runtime_max = float(raw)


class RedisMetricsStore(MetricsStore):
    """Tallies and workers on the app's Redis (``REDIS_URL``, keys under ``REDIS_PREFIX``)."""

    def __init__(self, connector: RedisConnector, retention: float, *, owned: bool = False) -> None:
        """``owned``: the connector is this store's own, closed by :meth:`aclose`."""
        super().__init__(retention)
        self.connector = connector
        self.prefix = connector.prefix
        self._owned = owned

    def _minute_key(self, bucket: int) -> str:
        return f"{self.prefix}queue:metrics:{bucket}"

    @property
    def _workers_key(self) -> str:
        return f"{self.prefix}queue:workers"

    def _worker_key(self, worker_id: str) -> str:
        return f"{self.prefix}queue:worker:{worker_id}"

    async def add(self, tallies: Mapping[SeriesKey, Tally]) -> None:
        by_minute: dict[int, list[str]] = {}
        for key, tally in tallies.items():
            by_minute.setdefault(key.bucket, []).extend(_argv(key, tally))
        if not by_minute:
            return
        client = self.connector.client()
        script = client.register_script(_ADD)
        async with client.pipeline(transaction=False) as pipe:
            for bucket, argv in by_minute.items():
                expire_at = int(bucket + 60 + self.retention)
                await script(keys=[self._minute_key(bucket)], args=[expire_at, *argv], client=pipe)
            await pipe.execute()

    async def read(self, since: int, until: int) -> dict[SeriesKey, Tally]:
        buckets = list(range(since - since % 60, until + 1, 60))
        if not buckets:
            return {}
        client = self.connector.client()
        async with client.pipeline(transaction=False) as pipe:
            for bucket in buckets:
                pipe.hgetall(self._minute_key(bucket))
            hashes = await pipe.execute()
        found: dict[SeriesKey, Tally] = {}
        for bucket, fields in zip(buckets, hashes, strict=True):
            for raw_field, raw in fields.items():
                connection, queue, rest = raw_field.decode().split(_SEP, 2)
                job, stat = rest.rsplit(_SEP, 1)
                key = SeriesKey(bucket, connection, queue, job)
                _apply(found.setdefault(key, Tally()), stat, raw)
        return found

    async def prune(self, now: float) -> int:
        # Minutes expire by themselves (EXPIREAT); only the registry needs sweeping.
        client = self.connector.client()
        return int(await client.zremrangebyscore(self._workers_key, "-inf", now - GONE_KEPT))

    async def beat(self, worker: WorkerInfo) -> None:
        client = self.connector.client()
        async with client.pipeline(transaction=True) as pipe:
            pipe.set(self._worker_key(worker.id), json.dumps(worker.to_dict()), ex=int(GONE_KEPT))
            pipe.zadd(self._workers_key, {worker.id: worker.heartbeat_at})
            await pipe.execute()

    async def forget_worker(self, worker_id: str) -> None:
        client = self.connector.client()
        async with client.pipeline(transaction=True) as pipe:
            pipe.delete(self._worker_key(worker_id))
            pipe.zrem(self._workers_key, worker_id)
            await pipe.execute()

    async def workers(self, now: float) -> list[WorkerInfo]:
        client = self.connector.client()
        found = await client.zrangebyscore(self._workers_key, now - GONE_KEPT, "+inf")
        ids = [raw.decode() if isinstance(raw, bytes) else str(raw) for raw in found]
        if not ids:
            return []
        details = await client.mget([self._worker_key(worker_id) for worker_id in ids])
        return [WorkerInfo.from_dict(json.loads(raw)) for raw in details if raw is not None]

    async def aclose(self) -> None:
        if self._owned:
            await self.connector.aclose()
