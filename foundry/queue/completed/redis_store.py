"""Completed jobs of redis connections in capped sorted sets, under ``REDIS_PREFIX``.

``<prefix>queue:completed`` holds every completed job and ``<prefix>queue:completed:<queue>``
each queue's, members being the records' JSON scored by when they finished. A write is one
pipeline: the adds, then per set touched the trim by age (``ZREMRANGEBYSCORE``) and by count
(``ZREMRANGEBYRANK``), as Horizon trims its recent jobs on write. The sets expire after the
retention, so an idle app leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from foundry.queue.completed.record import CompletedJob
from foundry.queue.completed.store import CompletedStore

if TYPE_CHECKING:
    from redis.client import Pipeline

    from foundry.queue.drivers.redis import RedisDriver

__all__ = ["RedisCompletedStore"]


class RedisCompletedStore(CompletedStore):
    """Sorted sets on the server (and under the prefix) of a redis connection."""

    def __init__(self, driver: RedisDriver, retention: float, limit: int) -> None:
        """``driver``: the connection whose (synchronous) client is used, from a thread, so
        the store works from any event loop (rq's worker runs its own)."""
        super().__init__(retention, limit)
        self.driver = driver
        self.prefix = driver.prefix

    @property
    def key(self) -> str:
        return f"redis:{self.driver.url}:{self.prefix}"

    def set_key(self, queue: str | None = None) -> str:
        """The sorted set of every completed job, or of ``queue``'s."""
        base = f"{self.prefix}queue:completed"
        return f"{base}:{queue}" if queue else base

    def _add(self, records: Sequence[CompletedJob], now: float) -> None:
        by_set: dict[str, dict[str, float]] = {}
        for record in records:
            member = {record.dumps(): record.finished_at}
            by_set.setdefault(self.set_key(), {}).update(member)
            by_set.setdefault(self.set_key(record.queue), {}).update(member)
        with self.driver.redis().pipeline(transaction=False) as pipe:
            for key, members in by_set.items():
                pipe.zadd(key, members)
                self._trim(pipe, key, now)
            pipe.execute()

    def _trim(self, pipe: Pipeline, key: str, now: float) -> None:
        pipe.zremrangebyscore(key, "-inf", f"({now - self.retention}")
        pipe.zremrangebyrank(key, 0, -(self.limit + 1))
        pipe.expire(key, max(1, int(self.retention) + 60))

    async def add(self, records: Sequence[CompletedJob], now: float) -> None:
        if records:
            await asyncio.to_thread(self._add, records, now)

    def _recent(self, queue: str | None, offset: int, limit: int) -> list[CompletedJob]:
        found = self.driver.redis().zrevrange(self.set_key(queue), offset, offset + limit - 1)
        return [
            CompletedJob.from_mapping(json.loads(raw))
            for raw in found
            if isinstance(raw, (str, bytes))  # without scores, members only
        ]

    async def recent(self, queue: str | None, offset: int, limit: int) -> list[CompletedJob]:
        if limit <= 0:
            return []
        return await asyncio.to_thread(self._recent, queue, offset, limit)

    def _prune(self, now: float) -> int:
        client = self.driver.redis()
        keys = [self.set_key()] + [
            raw.decode() if isinstance(raw, bytes) else str(raw)
            for raw in client.scan_iter(match=f"{self.set_key()}:*", count=500)
        ]
        dropped = 0
        with client.pipeline(transaction=False) as pipe:
            for key in keys:
                self._trim(pipe, key, now)
            results = pipe.execute()
        for index in range(0, len(results), 3):
            dropped += int(results[index]) + int(results[index + 1])
        return dropped

    async def prune(self, now: float) -> int:
        return await asyncio.to_thread(self._prune, now)
