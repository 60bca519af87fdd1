"""What every queue back end does: push, reserve, delete, release, count and clear.

Delivery is at least once. A reserved job is invisible to other workers until its worker
deletes or releases it, or until ``retry_after`` seconds pass (the worker died): then it is
handed out again with its attempts counted.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Collection, Sequence
from dataclasses import dataclass

__all__ = ["PollingDriver", "PushItem", "QueueCounts", "QueueDriver", "ReservedJob"]


@dataclass(slots=True, frozen=True)
class PushItem:
    """One job to store: its uuid, its payload text, where and when it goes."""

    uuid: str
    payload: str
    queue: str
    available_at: float
    priority: int = 0
    timeout: float | None = None
    #: The batch the job belongs to (the database driver stores it in ``jobs.batch_id``).
    batch_id: str | None = None


@dataclass(slots=True)
class ReservedJob:
    """A job a worker holds: the back end's id for it and the delivery count."""

    id: str
    queue: str
    payload: str
    #: Deliveries so far, this one included.
    attempts: int
    connection: str
    #: The priority it was queued with (the redis driver keeps only its band).
    priority: int = 0
    #: When it was reserved (Unix seconds), for drivers that hand it out again after
    #: ``retry_after``; ``None`` where nothing times out.
    reserved_at: float | None = None


@dataclass(slots=True)
class QueueCounts:
    """How many jobs wait (pending), run (reserved) or wait for their time (delayed)."""

    pending: int = 0
    reserved: int = 0
    delayed: int = 0


class QueueDriver(ABC):
    """A named connection's back end."""

    def __init__(self, name: str, *, default_queue: str, retry_after: float | None) -> None:
        self.name = name
        self.default_queue = default_queue
        #: ``None`` for back ends that never hand a job out again (sync).
        self.retry_after = retry_after

    @abstractmethod
    async def push(self, item: PushItem) -> None:
        """Store one job."""

    @abstractmethod
    async def bulk(self, items: Sequence[PushItem]) -> None:
        """Store many jobs in one round trip."""

    @abstractmethod
    async def delete(self, job: ReservedJob) -> None:
        """Remove a finished job."""

    @abstractmethod
    async def release(self, job: ReservedJob, delay: float, payload: str) -> None:
        """Put a reserved job back, available after ``delay``, with an updated payload."""

    @abstractmethod
    async def counts(self, queue: str) -> QueueCounts:
        """Pending, reserved and delayed jobs of ``queue``."""

    @abstractmethod
    async def queues(self) -> list[str]:
        """The queues that hold jobs now."""

    @abstractmethod
    async def clear(self, queue: str) -> int:
        """Delete every job of ``queue`` that is not running; returns how many."""

    async def aclose(self) -> None:
        """Release connections (at shutdown)."""


class PollingDriver(QueueDriver):
    """A back end our own worker polls (database, memory); Redis is worked by rq's worker."""

    @abstractmethod
    async def pop(self, queue: str) -> ReservedJob | None:
        """Reserve the next available job of ``queue`` (highest priority first)."""

    async def reserve(self, queue: str, limit: int) -> list[ReservedJob]:
        """Reserve up to ``limit`` jobs of ``queue`` at once, in the order they are to run.

        The worker prefetches this way when its jobs are quick; a back end that cannot do it in
        one round trip keeps this default, which reserves one.
        """
        job = await self.pop(queue)
        return [job] if job is not None else []

    async def give_back(self, reserved: Sequence[ReservedJob]) -> None:
        """Return reserved jobs that never started (a stopping worker's prefetched ones), to
        be available at once. The default releases each with its payload unchanged."""
        for job in reserved:
            await self.release(job, 0.0, job.payload)

    def defer_deletes(self) -> None:
        """From now on :meth:`delete` may only note a finished job, and :meth:`flush` (or the
        next :meth:`reserve`) removes the noted ones together. A worker calls it; it flushes
        before it stops. The default deletes at once."""

    async def flush(self) -> None:
        """Delete the finished jobs :meth:`delete` only noted (see :meth:`defer_deletes`)."""

    async def wait_for_jobs(self, queues: Collection[str], timeout: float) -> None:
        """Return when a job may have become available in ``queues``, at the latest after
        ``timeout`` seconds: an idle worker's wait. The default sleeps (polling)."""
        await asyncio.sleep(timeout)
