"""The ``sync`` driver: runs each job at once, in the dispatching code, like Laravel's.

A failing job is recorded in ``failed_jobs`` (its ``failed`` hook runs) and its exception is
raised to the dispatcher. A release is not retried: there is no queue to go back to.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from foundry.queue.drivers.base import PushItem, QueueCounts, QueueDriver, ReservedJob

__all__ = ["SyncDriver"]

#: Runs one reserved job to the end (the queue manager hands in its runner).
RunJob = Callable[["SyncDriver", ReservedJob], Awaitable[None]]


class SyncDriver(QueueDriver):
    """No storage: ``push`` runs the job."""

    def __init__(self, name: str, run: RunJob, *, default_queue: str) -> None:
        super().__init__(name, default_queue=default_queue, retry_after=None)
        self._run = run

    async def push(self, item: PushItem) -> None:
        await self._run(self, ReservedJob(item.uuid, item.queue, item.payload, 1, self.name))

    async def bulk(self, items: Sequence[PushItem]) -> None:
        for item in items:
            await self.push(item)

    async def delete(self, job: ReservedJob) -> None:
        return None

    async def release(self, job: ReservedJob, delay: float, payload: str) -> None:
        return None

    async def counts(self, queue: str) -> QueueCounts:
        return QueueCounts()

    async def queues(self) -> list[str]:
        return []

    async def clear(self, queue: str) -> int:
        return 0
