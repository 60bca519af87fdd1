"""The ``redis`` driver, built on rq: our jobs are rq jobs of one generic entry point.

Every job is an rq job calling :func:`foundry.queue.rq_entry.perform` with the payload text
(rq's JSON serializer, never pickle), so ``rq info`` and rq-dashboard list our queues, jobs and
workers. Delays and retries go through rq's scheduler (``ScheduledJobRegistry``).

Priorities map to three rq queues per queue, which the worker listens on in order:
``<prefix><queue>-high`` (priority > 0), ``<prefix><queue>`` (0) and ``<prefix><queue>-low``
(priority < 0). Within one band jobs run in arrival order.

The attempt count lives in the rq job's ``meta["attempts"]``: the entry point adds one and
saves it before running, so a run whose worker died still counts. An abandoned job is put back
by rq's own registry maintenance, which our worker runs every few seconds with a heartbeat TTL
of ``retry_after`` (rq's defaults would take about ten minutes).

The driver's synchronous client is bounded like the app's async one (``REDIS_SOCKET_TIMEOUT``,
``REDIS_CONNECT_TIMEOUT``, ``REDIS_RETRIES``): a push to a frozen Redis fails after about one
socket timeout (a 503 in a request) instead of hanging. The worker gets a client of its own,
since rq lengthens its socket timeout to outlast the blocking wait for a job.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from foundry.config.redis import RedisSettings
from foundry.kernel.redis import sync_client
from foundry.queue.drivers.base import PushItem, QueueCounts, QueueDriver, ReservedJob

if TYPE_CHECKING:
    from redis import Redis
    from rq import Queue as RqQueue

__all__ = ["ENTRY_POINT", "RedisDriver", "band_suffixes"]

#: The one rq function that runs every Foundry job.
ENTRY_POINT = "foundry.queue.rq_entry.perform"
#: How often rq may put an abandoned job back before rq itself gives up on it.
ABANDON_RETRIES = 25


def band_suffixes() -> tuple[str, str, str]:
    """The rq queue name suffixes of the high, normal and low priority bands, in worker order."""
    return ("-high", "", "-low")


def _band(priority: int) -> str:
    high, normal, low = band_suffixes()
    return high if priority > 0 else low if priority < 0 else normal


class RedisDriver(QueueDriver):
    """Jobs in Redis through rq; ``queue:work redis`` runs rq's worker with our entry point."""

    def __init__(
        self, name: str, redis: RedisSettings, *, default_queue: str, retry_after: float
    ) -> None:
        """
        Args:
            name: the connection's name.
            redis: the server, its key prefix (``REDIS_PREFIX``) and the client's timeouts.
            default_queue: the queue a job goes to when it names none.
            retry_after: seconds after which a job whose worker went silent runs again.
        """
        super().__init__(name, default_queue=default_queue, retry_after=retry_after)
        self.settings = redis
        self.url = redis.url
        self.prefix = redis.prefix
        self._redis: Redis | None = None

    # -- rq plumbing ----------------------------------------------------------------------------

    def redis(self) -> Redis:
        """The synchronous client pushes go through (made on first use, bounded by the
        ``REDIS_*`` timeouts)."""
        if self._redis is None:
            self._redis = sync_client(self.settings)
        return self._redis

    def worker_connection(self) -> Redis:
        """A new client for rq's worker: rq raises its socket timeout above the blocking pop's
        wait, which must not lengthen the pushes of :meth:`redis` made in the same process."""
        return sync_client(self.settings)

    def rq_name(self, queue: str, priority: int = 0) -> str:
        """The rq queue holding ``queue``'s jobs of that priority band."""
        return f"{self.prefix}{queue}{_band(priority)}"

    def rq_names(self, queue: str) -> list[str]:
        """Every band of ``queue``, highest first (the order a worker listens in)."""
        return [f"{self.prefix}{queue}{suffix}" for suffix in band_suffixes()]

    def rq_queue(self, rq_name: str) -> RqQueue:
        """An rq ``Queue`` with the JSON serializer."""
        from rq import Queue
        from rq.serializers import JSONSerializer

        return Queue(rq_name, connection=self.redis(), serializer=JSONSerializer)

    def enqueue_options(self, item: PushItem, job_id: str, attempts: int) -> dict[str, Any]:
        """rq's options for one of our jobs."""
        from rq import Retry

        assert self.retry_after is not None
        return {
            "job_id": job_id,
            "description": f"foundry job {item.uuid}",
            # rq's own timeout is only the last resort: our runner stops the job first.
            "job_timeout": int(self.retry_after),
            "result_ttl": 0,
            "failure_ttl": 7 * 24 * 3600,
            "meta": {
                "attempts": attempts,
                "uuid": item.uuid,
                "queue": item.queue,
                "connection": self.name,
            },
            "retry": Retry(max=ABANDON_RETRIES),
        }

    def enqueue(self, item: PushItem, *, job_id: str | None = None, attempts: int = 0) -> None:
        """Put one job on its rq queue now, or on rq's scheduler when it is delayed."""
        queue = self.rq_queue(self.rq_name(item.queue, item.priority))
        options = self.enqueue_options(item, job_id or item.uuid, attempts)
        if item.available_at > time.time():
            when = datetime.fromtimestamp(item.available_at, tz=timezone.utc)
            queue.enqueue_at(when, ENTRY_POINT, item.payload, **options)
        else:
            # rq sends the queue registration and the job as two round trips unless it is given
            # a pipeline (our jobs have no rq dependencies or rate limits, which need reads).
            with self.redis().pipeline() as pipeline:
                queue.enqueue(ENTRY_POINT, item.payload, pipeline=pipeline, **options)
                pipeline.execute()

    def _bulk(self, items: Sequence[PushItem]) -> None:
        from rq import Queue

        now = time.time()
        by_queue: dict[str, list[PushItem]] = {}
        for item in items:
            if item.available_at > now:
                self.enqueue(item)
            else:
                by_queue.setdefault(self.rq_name(item.queue, item.priority), []).append(item)
        with self.redis().pipeline() as pipeline:
            for rq_name, group in by_queue.items():
                data = [
                    Queue.prepare_data(
                        ENTRY_POINT,
                        args=(item.payload,),
                        **_prepare_options(self.enqueue_options(item, item.uuid, 0)),
                    )
                    for item in group
                ]
                self.rq_queue(rq_name).enqueue_many(data, pipeline=pipeline)
            pipeline.execute()

    # -- the driver API -------------------------------------------------------------------------

    async def push(self, item: PushItem) -> None:
        await asyncio.to_thread(self.enqueue, item)

    async def bulk(self, items: Sequence[PushItem]) -> None:
        if items:
            await asyncio.to_thread(self._bulk, items)

    async def delete(self, job: ReservedJob) -> None:
        # rq removes a finished job itself (result_ttl=0).
        return None

    async def release(self, job: ReservedJob, delay: float, payload: str) -> None:
        # A new rq job (rq refuses to re-enqueue the one that is running), carrying the count.
        item = PushItem(job.id, payload, job.queue, time.time() + delay)
        await asyncio.to_thread(self._release, item, job)

    def _release(self, item: PushItem, job: ReservedJob) -> None:
        uuid = job.id.split("_", 1)[0]
        released = PushItem(uuid, item.payload, item.queue, item.available_at, job.priority)
        self.enqueue(released, job_id=f"{uuid}_{job.attempts}", attempts=job.attempts)

    async def counts(self, queue: str) -> QueueCounts:
        return await asyncio.to_thread(self._counts, queue)

    def _counts(self, queue: str) -> QueueCounts:
        from rq.registry import ScheduledJobRegistry, StartedJobRegistry

        counts = QueueCounts()
        for rq_name in self.rq_names(queue):
            rq_queue = self.rq_queue(rq_name)
            counts.pending += rq_queue.count
            counts.reserved += StartedJobRegistry(queue=rq_queue).get_job_count(cleanup=False)
            counts.delayed += ScheduledJobRegistry(  # type: ignore[no-untyped-call]  # rq: unannotated
                queue=rq_queue
            ).get_job_count(
                cleanup=False
            )
        return counts

    async def queues(self) -> list[str]:
        return await asyncio.to_thread(self._queues)

    def _queues(self) -> list[str]:
        from rq import Queue

        found: set[str] = set()
        for rq_queue in Queue.all(connection=self.redis()):
            if not rq_queue.name.startswith(self.prefix):
                continue
            name = rq_queue.name[len(self.prefix) :]
            for suffix in band_suffixes():
                if suffix and name.endswith(suffix):
                    name = name[: -len(suffix)]
                    break
            found.add(name)
        return sorted(found)

    async def clear(self, queue: str) -> int:
        return await asyncio.to_thread(self._clear, queue)

    def _clear(self, queue: str) -> int:
        from rq.registry import ScheduledJobRegistry

        removed = 0
        for rq_name in self.rq_names(queue):
            rq_queue = self.rq_queue(rq_name)
            removed += rq_queue.count
            rq_queue.empty()  # type: ignore[no-untyped-call]  # rq: unannotated
            scheduled = ScheduledJobRegistry(queue=rq_queue)  # type: ignore[no-untyped-call]  # rq
            for job_id in scheduled.get_job_ids(cleanup=False):
                scheduled.remove(job_id, delete_job=True)
                removed += 1
        return removed

    async def aclose(self) -> None:
        if self._redis is not None:
            client, self._redis = self._redis, None
            client.close()


def _prepare_options(options: dict[str, Any]) -> dict[str, Any]:
    # ``prepare_data`` calls the job timeout ``timeout``.
    renamed = dict(options)
    renamed["timeout"] = renamed.pop("job_timeout")
    return renamed
