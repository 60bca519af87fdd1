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
from typing import TYPE_CHECKING, Any, TypeAlias

from foundry.database.types import uuid7
from foundry.jobs.job import Job
from foundry.jobs.pending import DispatchOptions, PendingDispatch
from foundry.jobs.unique import ShouldBeUnique
from foundry.kernel.facades import facade
from foundry.queue.batching.callbacks import (
    BatchCallback,
    CallbackKind,
    prepare_callback,
)
from foundry.queue.batching.job import BatchableJob
from foundry.queue.batching.nesting import (
    BatchLink,
    ChainMember,
    chain_member_push,
    finish_empty,
    member_push,
    push_entries,
)
from foundry.queue.batching.repository import BatchRepository
from foundry.queue.chaining.pending import PendingChain
from foundry.queue.manager import QueueManager

if TYPE_CHECKING:
    from foundry.queue.batching.batch import Batch

__all__ = ["BatchMember", "PendingBatch", "add_to_batch", "batch"]


#: What a batch takes: jobs, and chains (a list of jobs, or ``chain([...])``).
BatchMember: TypeAlias = "Job | Sequence[Job] | PendingChain"
Member: TypeAlias = "BatchableJob | ChainMember"


def _batchable(job: object) -> BatchableJob:
    if not isinstance(job, BatchableJob):
        name = type(job).__qualname__
        raise TypeError(
            f"{name} cannot be batched: subclass BatchableJob (artisan make:job --batchable)"
        )
    if isinstance(job, ShouldBeUnique):
        # A unique job already queued would be skipped and never counted: the batch
        # could never finish.
        raise TypeError(f"{type(job).__qualname__} is a ShouldBeUnique job: not batchable")
    return job


def _members(jobs: Sequence[BatchMember]) -> list[Member]:
    members: list[Member] = []
    for job in jobs:
        if isinstance(job, PendingChain):
            links = [_batchable(link) for link in job.jobs]
            members.append(ChainMember(links, job.chain_name, list(job.callbacks)))
        elif isinstance(job, (list, tuple)):
            if not job:
                raise ValueError("a chain in a batch needs at least one job")
            members.append(ChainMember([_batchable(link) for link in job]))
        else:
            members.append(_batchable(job))
    return members


def _count(members: Sequence[Member]) -> int:
    # As Laravel: each link of a chain is one job of the batch.
    return sum(len(m) if isinstance(m, ChainMember) else 1 for m in members)


async def _push(
    manager: QueueManager, batch_id: str, jobs: list[Member], options: dict[str, Any]
) -> list[str]:
    entries: list[Job | PendingDispatch] = []
    chains: list[dict[str, Any]] = []
    for job in jobs:
        if isinstance(job, ChainMember):
            chains.append(await chain_member_push(manager, batch_id, job, options))
            continue
        job.batch_id = batch_id
        entry = PendingDispatch(job)
        entry.options = DispatchOptions(
            connection=options.get("connection"),
            queue=options.get("queue"),
            extra={"batch_id": batch_id},
        )
        entries.append(entry)
    ids = await manager.bulk(entries)  # one round trip per connection
    return [job_id for job_id in ids if job_id is not None] + await push_entries(manager, chains)


class PendingBatch:
    """A batch being described; ``await .dispatch()`` stores it, queues its jobs and returns
    its id."""

    def __init__(self, jobs: Sequence[BatchMember]) -> None:
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

    def as_chain_link(self) -> BatchLink:
        """This batch as one link of a chain (``chain([a, batch([...]), b])`` calls it)."""
        return BatchLink(self)

    @property
    def batch_name(self) -> str:
        """The name given with :meth:`name` (``""`` when none)."""
        return self._name

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
        options = await self._options(manager, batch_id)
        stored = await repository.create(batch_id, self._name, _count(members), options)
        if not members:
            await finish_empty(manager, stored)
            return batch_id
        try:
            await _push(manager, batch_id, members, options)
        except BaseException:
            await repository.delete(batch_id)  # none of it was queued
            raise
        return batch_id

    async def _options(self, manager: QueueManager, batch_id: str) -> dict[str, Any]:
        target = DispatchOptions(connection=self._connection, queue=self._queue)
        callbacks = {
            kind: [await prepare_callback(manager, cb, batch_id, kind, target) for cb in found]
            for kind, found in self._callbacks.items()
        }
        return {
            "connection": self._connection,
            "queue": self._queue,
            "allowed_failures": self._allowed_failures,
            "callbacks": callbacks,
        }

    async def prepared(
        self, manager: QueueManager, batch_id: str
    ) -> tuple[dict[str, Any], list[dict[str, Any]], int]:
        """The batch ready to store later (as a link of a chain): its options, its members'
        signed ready-to-push entries, and its job count.

        Raises:
            TypeError: a job is not a :class:`BatchableJob`.
            InvalidBatchCallbackError: a callback is a lambda, closure or method.
        """
        members = _members(self.jobs)
        options = await self._options(manager, batch_id)
        entries = [
            await (
                chain_member_push(manager, batch_id, member, options)
                if isinstance(member, ChainMember)
                else member_push(manager, batch_id, member, options)
            )
            for member in members
        ]
        return options, entries, _count(members)


async def add_to_batch(batch: Batch, jobs: Sequence[BatchMember]) -> list[str]:
    """Queue ``jobs`` in ``batch`` (see :meth:`Batch.add`)."""
    members = _members(jobs)
    if not members:
        return []
    repository = batch.repository
    assert repository is not None
    # Counted before they are queued, so none can finish the batch before it is counted.
    count = _count(members)
    await repository.increment_total(batch.id, count)
    try:
        return await _push(facade(QueueManager), batch.id, members, batch.options)
    except BaseException:
        await repository.increment_total(batch.id, -count)
        raise


def batch(jobs: Sequence[BatchMember]) -> PendingBatch:
    """Start describing a batch of ``jobs``: each a :class:`BatchableJob`, or a chain of them
    (a list of jobs, or ``chain([...])``) whose links run in order, each counted."""
    return PendingBatch(jobs)
