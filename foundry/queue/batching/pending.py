"""``batch([...])``: the fluent builder of a batch, Laravel's ``Bus::batch``.

```python
batch_id = await (
    batch([ProcessDataJob("a"), ProcessDataJob("b")])
    .name("Data Processing")
    .allow_failures(1)
    .on_queue("imports")
    .then(notify_done)          # module-level function taking the batch, or a Job instance
    .catch(notify_failure)
    .finally_(cleanup)
    .dispatch()
)
```
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from foundry.database.types import uuid7
from foundry.jobs.job import Job
from foundry.jobs.pending import DispatchOptions, PendingDispatch
from foundry.jobs.unique import ShouldBeUnique
from foundry.kernel.facades import facade
from foundry.queue.batching.callbacks import (
    BatchCallback,
    CallbackKind,
    prepare_callback,
    push_callbacks,
)
from foundry.queue.batching.job import BatchableJob
from foundry.queue.batching.repository import BatchRepository
from foundry.queue.manager import QueueManager

if TYPE_CHECKING:
    from foundry.queue.batching.batch import Batch

__all__ = ["PendingBatch", "add_to_batch", "batch"]


def _members(jobs: Sequence[Job]) -> list[BatchableJob]:
    members = list(jobs)
    for job in members:
        if not isinstance(job, BatchableJob):
            raise TypeError(
                f"{type(job).__qualname__} cannot be batched: subclass BatchableJob "
                "(artisan make:job --batchable)"
            )
        if isinstance(job, ShouldBeUnique):
            # A unique job already queued would be skipped and never counted: the batch
            # could never finish.
            raise TypeError(f"{type(job).__qualname__} is a ShouldBeUnique job: not batchable")
    return members  # type: ignore[return-value]  # checked one by one above


async def _push(
    manager: QueueManager, batch_id: str, jobs: list[BatchableJob], options: dict[str, Any]
) -> list[str]:
    entries: list[Job | PendingDispatch] = []
    for job in jobs:
        job.batch_id = batch_id
        entry = PendingDispatch(job)
        entry.options = DispatchOptions(
            connection=options.get("connection"),
            queue=options.get("queue"),
            extra={"batch_id": batch_id},
        )
        entries.append(entry)
    ids = await manager.bulk(entries)  # one round trip per connection
    return [job_id for job_id in ids if job_id is not None]


class PendingBatch:
    """A batch being described; ``await .dispatch()`` stores it, queues its jobs and returns
    its id."""

    def __init__(self, jobs: Sequence[Job]) -> None:
        self.jobs = list(jobs)
        self._name = ""
        self._allowed_failures: int | None = 0
        self._queue: str | None = None
        self._connection: str | None = None
        self._callbacks: dict[CallbackKind, list[BatchCallback]] = {
            "then": [],
            "catch": [],
            "finally": [],
        }

    def name(self, name: str) -> PendingBatch:
        """The name ``queue:batches`` shows."""
        self._name = name
        return self

    def allow_failures(self, allowed: bool | int = True) -> PendingBatch:
        """Keep going after failures: ``True`` any number, ``n`` up to ``n`` (the next one
        cancels the batch), ``False`` none (the default: the first failure cancels it)."""
        if isinstance(allowed, bool):
            self._allowed_failures = None if allowed else 0
        elif allowed < 0:
            raise ValueError("allow_failures takes True, False or a number >= 0")
        else:
            self._allowed_failures = int(allowed)
        return self

    def on_queue(self, queue: str) -> PendingBatch:
        """Queue the jobs (and the callbacks) on ``queue``."""
        self._queue = queue
        return self

    def on_connection(self, connection: str) -> PendingBatch:
        """Queue the jobs (and the callbacks) on ``connection``."""
        self._connection = connection
        return self

    def then(self, callback: BatchCallback) -> PendingBatch:
        """Queued once every job succeeded (after retries too)."""
        self._callbacks["then"].append(callback)
        return self

    def catch(self, callback: BatchCallback) -> PendingBatch:
        """Queued once, on the batch's first failure."""
        self._callbacks["catch"].append(callback)
        return self

    def finally_(self, callback: BatchCallback) -> PendingBatch:
        """Queued once every job has run once, whether or not some failed."""
        self._callbacks["finally"].append(callback)
        return self

    async def dispatch(self) -> str:
        """Store the batch and queue its jobs; returns the batch id.

        Raises:
            TypeError: a job is not a :class:`BatchableJob`.
            InvalidBatchCallbackError: a callback is a lambda, closure or method.
        """
        members = _members(self.jobs)
        manager: QueueManager = facade(QueueManager)
        repository: BatchRepository = facade(BatchRepository)
        batch_id = str(uuid7())
        target = DispatchOptions(connection=self._connection, queue=self._queue)
        callbacks = {
            kind: [await prepare_callback(manager, cb, batch_id, kind, target) for cb in found]
            for kind, found in self._callbacks.items()
        }
        options = {
            "connection": self._connection,
            "queue": self._queue,
            "allowed_failures": self._allowed_failures,
            "callbacks": callbacks,
        }
        stored = await repository.create(batch_id, self._name, len(members), options)
        if not members:
            await _finish_empty(manager, stored)
            return batch_id
        try:
            await _push(manager, batch_id, members, options)
        except BaseException:
            await repository.delete(batch_id)  # none of it was queued
            raise
        return batch_id


async def _finish_empty(manager: QueueManager, stored: Batch) -> None:
    # Nothing to wait for: stored finished, and then and finally run now rather than never.
    await push_callbacks(manager, stored, "then")
    await push_callbacks(manager, stored, "finally")


async def add_to_batch(batch: Batch, jobs: Sequence[Job]) -> list[str]:
    """Queue ``jobs`` in ``batch`` (see :meth:`Batch.add`)."""
    members = _members(jobs)
    if not members:
        return []
    repository = batch.repository
    assert repository is not None
    # Counted before they are queued, so none can finish the batch before it is counted.
    await repository.increment_total(batch.id, len(members))
    try:
        return await _push(facade(QueueManager), batch.id, members, batch.options)
    except BaseException:
        await repository.increment_total(batch.id, -len(members))
        raise


def batch(jobs: Sequence[Job]) -> PendingBatch:
    """Start describing a batch of ``jobs`` (each a :class:`BatchableJob`)."""
    return PendingBatch(jobs)
