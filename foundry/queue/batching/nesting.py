"""Nesting, as in Laravel: chains inside a batch, and a batch as one link of a chain.

A chain inside a batch (``batch([job, [a, b], chain([c, d])])``): every link carries the
batch's id and counts on its own, as Laravel counts them (``total_jobs`` grows by the chain's
length), so the batch finishes only once the chain's last link succeeded, and a link that fails
for good is one failure of the batch (the rest of its chain never runs).

A batch as a link (``chain([a, batch([b1, b2]), c])``): the batch becomes a :class:`BatchLink`
job holding its members' signed payloads. When the link runs, the chain hook stores the batch
with the rest of the chain in its options and queues the members; the batch's hook then queues
the chain's next link when every member has run and the batch was not cancelled (Laravel's
``finally`` of a ``ChainedBatch``), or the chain's catch callbacks when a failure cancels it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from foundry.database.types import uuid7
from foundry.jobs.job import Job
from foundry.jobs.payload import loads
from foundry.jobs.pending import DispatchOptions
from foundry.jobs.serialization import encode_value
from foundry.kernel.facades import facade
from foundry.queue.batching.callbacks import push_callbacks
from foundry.queue.batching.job import BatchableJob
from foundry.queue.batching.repository import BatchRepository
from foundry.queue.chaining.callbacks import ChainCatchCall
from foundry.queue.chaining.links import link_payload, prepare_push, push
from foundry.queue.chaining.nested import NestedLink
from foundry.queue.chaining.state import CHAIN_KEY, ChainFailure, ChainState
from foundry.queue.drivers.base import PushItem
from foundry.queue.events import JobQueued

if TYPE_CHECKING:
    from foundry.queue.batching.batch import Batch
    from foundry.queue.manager import QueueManager

__all__ = [
    "BatchLink",
    "ChainMember",
    "CHAIN_OPTION",
    "continue_chain",
    "fail_chain",
    "finish_empty",
    "push_entries",
]

#: The batch option holding the chain a :class:`BatchLink` belongs to.
CHAIN_OPTION = "chain"


@dataclass(slots=True)
class ChainMember:
    """A chain given as one member of a batch: its links run in order, each counted."""

    jobs: list[BatchableJob]
    name: str | None = None
    #: The chain's own catch callbacks (a Job, or a module-level function's import path).
    catch: list[Job | str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.jobs)


def _member_options(batch_id: str, options: dict[str, Any]) -> DispatchOptions:
    return DispatchOptions(
        connection=options.get("connection"),
        queue=options.get("queue"),
        extra={"batch_id": batch_id},
    )


async def _link(
    manager: QueueManager, job: BatchableJob, batch_id: str, options: dict[str, Any]
) -> dict[str, Any]:
    job.batch_id = batch_id
    _, item = await manager._prepare(job, _member_options(batch_id, options))
    return loads(item.payload)


async def chain_member_push(
    manager: QueueManager, batch_id: str, member: ChainMember, options: dict[str, Any]
) -> dict[str, Any]:
    """The ready-to-push entry of ``member``'s first link, the rest of its chain attached."""
    links = [await _link(manager, job, batch_id, options) for job in member.jobs]
    connection, queue = options.get("connection"), options.get("queue")
    catch = [
        await link_payload(
            manager, c if isinstance(c, Job) else ChainCatchCall(c), connection, queue
        )
        for c in member.catch
    ]
    state = ChainState(
        str(uuid7()), member.name, connection=connection, queue=queue, links=links[1:], catch=catch
    )
    ready = prepare_push(manager, links[0], state)
    return {
        "connection": ready.driver.name,
        "uuid": ready.item.uuid,
        "payload": ready.item.payload,
        "queue": ready.item.queue,
        "priority": ready.item.priority,
        "timeout": ready.item.timeout,
        "name": ready.display_name,
        "batch_id": batch_id,
    }


async def member_push(
    manager: QueueManager, batch_id: str, job: BatchableJob, options: dict[str, Any]
) -> dict[str, Any]:
    """The ready-to-push entry of one plain member."""
    job.batch_id = batch_id
    driver, item = await manager._prepare(job, _member_options(batch_id, options))
    return {
        "connection": driver.name,
        "uuid": item.uuid,
        "payload": item.payload,
        "queue": item.queue,
        "priority": item.priority,
        "timeout": item.timeout,
        "name": job.display_name(),
        "batch_id": batch_id,
    }


async def push_entries(manager: QueueManager, entries: Sequence[dict[str, Any]]) -> list[str]:
    """Push signed, ready-to-push entries (one round trip per connection); their ids."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        grouped.setdefault(str(entry["connection"]), []).append(entry)
    now = time.time()
    for connection, found in grouped.items():
        driver = manager.connection(connection)
        await driver.bulk(
            [
                PushItem(
                    str(e["uuid"]),
                    str(e["payload"]),
                    str(e["queue"]),
                    now,
                    int(e.get("priority") or 0),
                    e.get("timeout"),
                    e.get("batch_id"),
                )
                for e in found
            ]
        )
        for e in found:
            await manager.fire(JobQueued(driver.name, str(e["queue"]), str(e["uuid"]), e["name"]))
    return [str(entry["uuid"]) for entry in entries]


class _Preparable(Protocol):
    """What a :class:`BatchLink` is made from (a ``PendingBatch``)."""

    @property
    def batch_name(self) -> str: ...

    async def prepared(
        self, manager: QueueManager, batch_id: str
    ) -> tuple[dict[str, Any], list[dict[str, Any]], int]: ...


class BatchLink(NestedLink):
    """A batch as one link of a chain (made by ``chain([...])`` from a ``PendingBatch``).

    Its fields are the batch, ready to store: the id, name, options (callbacks signed) and the
    members' signed payloads, all covered by the link's own signature. ``handle`` does nothing:
    the chain hook, which holds the rest of the chain, calls :meth:`start` when it succeeded.
    """

    def __init__(self, pending: _Preparable) -> None:
        self.batch_id = ""
        self.name = pending.batch_name
        self.total_jobs = 0
        self.options: dict[str, Any] = {}
        self.members: list[dict[str, Any]] = []
        self.__dict__["_pending"] = pending  # private: not in the payload

    def display_name(self) -> str:
        """``batch Imports``."""
        return f"batch {self.name}" if self.name else "batch"

    async def prepare(self, manager: QueueManager) -> None:
        """Build the members' payloads and the options (when the chain is dispatched)."""
        pending: _Preparable | None = self.__dict__.get("_pending")
        if pending is None or self.batch_id:
            return
        self.batch_id = str(uuid7())
        self.options, self.members, self.total_jobs = await pending.prepared(manager, self.batch_id)

    async def start(
        self, manager: QueueManager, state: ChainState, links: list[dict[str, Any]]
    ) -> None:
        """Store the batch with the rest of the chain and queue its members.

        A delivery of this link again (at least once) finds the batch stored and queues nothing.
        """
        chain = {"state": state.to_payload(), "links": links}
        options = {**self.options, CHAIN_OPTION: chain}
        repository: BatchRepository = facade(BatchRepository)
        if await repository.find(self.batch_id) is not None:
            return
        stored = await repository.create(self.batch_id, self.name, self.total_jobs, options)
        if not self.members:
            await finish_empty(manager, stored)
            await continue_chain(manager, stored)
            return
        try:
            await push_entries(manager, self.members)
        except BaseException:
            await repository.delete(self.batch_id)  # the link runs again and dispatches it then
            raise


async def finish_empty(manager: QueueManager, stored: Batch) -> None:
    """Nothing to wait for: stored finished, and ``then`` and ``finally`` run now."""
    await push_callbacks(manager, stored, "then")
    await push_callbacks(manager, stored, "finally")


async def continue_chain(manager: QueueManager, batch: Batch) -> None:
    """Queue the next link of the chain ``batch`` is a link of (every member ran, not
    cancelled)."""
    chain = batch.options.get(CHAIN_OPTION)
    if not chain or batch.cancelled():
        return
    state = ChainState.of({CHAIN_KEY: chain["state"]})
    links = list(chain["links"])
    if state is None or not links:
        return
    await push(manager, prepare_push(manager, links[0], state.advanced(links)))


async def fail_chain(manager: QueueManager, batch: Batch) -> None:
    """Queue the catch callbacks of the chain ``batch`` is a link of (a failure cancelled it)."""
    chain = batch.options.get(CHAIN_OPTION)
    if not chain:
        return
    state = ChainState.of({CHAIN_KEY: chain["state"]})
    if state is None or not state.catch:
        return
    failed = batch.failed_job_ids
    failure = ChainFailure(
        chain_id=state.id,
        chain_name=state.name,
        link_index=state.index,
        job_name=f"batch {batch.name}" if batch.name else "batch",
        job_id=failed[0] if failed else batch.id,
        exception=f"BatchCancelled: batch {batch.id} was cancelled by a failed job",
    )
    data = {"chain_failure": encode_value(failure)}
    for callback in state.catch:
        await push(manager, prepare_push(manager, callback, None, data=data))
