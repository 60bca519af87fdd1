"""``chain([...])``: jobs that run one after the other, each only once the previous succeeded.

```python
chain_id = await chain([ExtractDataJob(), TransformDataJob(), LoadDataJob()]) \
    .name("ETL Pipeline").on_queue("etl").catch(report_etl_failure).dispatch()
```
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from foundry.database.transactions import defer_until_commit
from foundry.database.types import uuid7
from foundry.jobs.job import Job
from foundry.kernel.facades import facade, facade_root
from foundry.queue.chaining.callbacks import CatchCallback, ChainCatchCall, callback_path
from foundry.queue.chaining.links import (
    check_link,
    link_options,
    link_payload,
    prepare_push,
    push,
)
from foundry.queue.chaining.nested import ChainLinkSource, NestedLink
from foundry.queue.chaining.state import ChainState
from foundry.queue.fake import QueueFake
from foundry.queue.manager import QueueManager

if TYPE_CHECKING:
    from foundry.queue.batching.pending import PendingBatch  # only named in signatures

__all__ = ["PendingChain", "chain"]

_Queue: QueueManager = facade(QueueManager)


class PendingChain:
    """A chain being described; ``await .dispatch()`` queues its first link."""

    def __init__(self, jobs: Sequence[Job | PendingBatch]) -> None:
        """Check ``jobs`` and keep them as the links, in order (a batch becomes one link that
        runs the whole batch; the next link waits until every job of it has run).

        Raises:
            TypeError: a link is not a Job instance, is a unique job, or cannot be stored.
            ValueError: no links.
        """
        if isinstance(jobs, Job) or not isinstance(jobs, Sequence):
            raise TypeError("chain() takes a list of jobs: chain([FirstJob(), SecondJob()])")
        self.jobs = [check_link(_as_link(job)) for job in jobs]
        if not self.jobs:
            raise ValueError("a chain needs at least one job")
        self.chain_name: str | None = None
        self.connection: str | None = None
        self.queue: str | None = None
        self.available_at: float | None = None
        self.callbacks: list[Job | str] = []

    def name(self, name: str) -> PendingChain:
        """Name the chain (shown to catch callbacks and in every link's payload)."""
        self.chain_name = name
        return self

    def on_connection(self, connection: str) -> PendingChain:
        """Run the links on ``connection`` unless a job names its own."""
        self.connection = connection
        return self

    def on_queue(self, queue: str) -> PendingChain:
        """Run the links on ``queue`` unless a job names its own."""
        self.queue = queue
        return self

    def delay(self, when: float | datetime) -> PendingChain:
        """Start the first link after ``when`` (seconds from now, or a datetime)."""
        if isinstance(when, datetime):
            moment = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
            self.available_at = moment.timestamp()
        else:
            self.available_at = time.time() + max(0.0, float(when))
        return self

    def catch(self, callback: CatchCallback) -> PendingChain:
        """Queue ``callback`` once if a link fails for good (the chain stops there).

        ``callback`` is a Job (queued with ``chain_failure`` set to the
        :class:`~foundry.queue.chaining.state.ChainFailure`) or a module-level function taking
        the ``ChainFailure`` (sync or async).

        Raises:
            TypeError: a lambda, closure or other value that cannot be queued by name.
        """
        if isinstance(callback, Job):
            self.callbacks.append(check_link(callback))
        else:
            self.callbacks.append(callback_path(callback))
        return self

    async def dispatch(self) -> str:
        """Queue the first link; returns the chain id.

        Raises:
            TypeError: a job field cannot be stored.
            JobConfigurationError: a job's timeout is not shorter than its connection's
                ``retry_after``.
            UnknownConnectionError, UnknownQueueError: a connection or queue does not exist.
        """
        manager = facade_root(_Queue)  # the instance: a fake must be recognised
        links = [await self._link(manager, job) for job in self.jobs]
        state = ChainState(
            str(uuid7()),
            self.chain_name,
            connection=self.connection,
            queue=self.queue,
            links=links[1:],
            catch=[await self._link(manager, self._catch_job(c)) for c in self.callbacks],
        )
        first = self.jobs[0]
        if isinstance(manager, QueueFake):  # recorded as the one job queued now
            options = link_options(first, self.connection, self.queue)
            options.available_at = self.available_at
            await manager.push(first, options)
            return state.id
        ready = prepare_push(manager, links[0], state, available_at=self.available_at)
        if first.dispatch_after_commit and defer_until_commit(lambda: push(manager, ready)):
            return state.id
        await push(manager, ready)
        return state.id

    async def _link(self, manager: QueueManager, job: Job) -> dict[str, Any]:
        if isinstance(job, NestedLink):
            await job.prepare(manager)  # a batch's jobs: signed now, like every link
        return await link_payload(manager, job, self.connection, self.queue)

    @staticmethod
    def _catch_job(callback: Job | str) -> Job:
        return callback if isinstance(callback, Job) else ChainCatchCall(callback)


def _as_link(job: object) -> object:
    return job.as_chain_link() if isinstance(job, ChainLinkSource) else job


def chain(jobs: Sequence[Job | PendingBatch]) -> PendingChain:
    """Jobs that run in order, each once the one before succeeded (Laravel's ``Bus::chain``).

    A link may be a batch (``batch([...])``, not dispatched): its jobs run in parallel and the
    next link runs once all of them ran, unless the batch was cancelled.

    Raises:
        TypeError: a link is not a Job instance (a class, a function...), or is a unique job.
        ValueError: the list is empty.
    """
    return PendingChain(jobs)
