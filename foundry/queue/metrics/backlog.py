"""How long the oldest waiting job of a queue has waited, read from the queue's back end."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import func, select

from foundry.queue.drivers.base import QueueDriver
from foundry.queue.drivers.database import DatabaseDriver
from foundry.queue.drivers.redis import RedisDriver
from foundry.queue.tables import jobs

__all__ = ["oldest_wait"]


async def oldest_wait(driver: QueueDriver, queue: str, now: float | None = None) -> float | None:
    """Seconds the oldest job ready to run on ``queue`` has waited; ``None`` when none waits
    (or the driver keeps no such time: sync, memory, custom drivers)."""
    now = time.time() if now is None else now
    if isinstance(driver, DatabaseDriver):
        # Ready since available_at (a delayed job waits from when it became due).
        statement = select(func.min(jobs.c.available_at)).where(
            jobs.c.queue == queue, jobs.c.reserved_at.is_(None), jobs.c.available_at <= now
        )
        async with driver.database.connect() as connection:
            since = (await connection.execute(statement)).scalar()
        return None if since is None else max(0.0, now - float(since))
    if isinstance(driver, RedisDriver):
        since = await asyncio.to_thread(_rq_oldest, driver, queue)
        return None if since is None else max(0.0, now - since)
    return None


def _rq_oldest(driver: RedisDriver, queue: str) -> float | None:
    oldest: float | None = None
    for rq_name in driver.rq_names(queue):
        rq_queue = driver.rq_queue(rq_name)
        for job_id in rq_queue.get_job_ids(0, 1):
            job = rq_queue.fetch_job(job_id)
            if job is not None and job.enqueued_at is not None:
                enqueued = job.enqueued_at.timestamp()
                oldest = enqueued if oldest is None else min(oldest, enqueued)
    return oldest
