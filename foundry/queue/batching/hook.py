"""``BatchLifecycleHook``: counts each member job's outcome and queues the batch's callbacks.

Registered on the queue manager by the queue provider. A job belongs to a batch when its payload
carries a ``batch_id`` (set by ``batch(...).dispatch()`` and ``Batch.add``); callback jobs carry
none, so they never count. Which callbacks are due is decided from the counters the atomic
update returned, never from a second read:

========================================  ====================================================
update returned                           then
========================================  ====================================================
success, pending == 0                     batch finished (same update); ``then`` queued
failure, failed == 1                      batch cancelled unless failures are allowed;
                                          ``catch`` queued
failure, failed == allowed + 1            batch cancelled (``allow_failures(n)`` exceeded)
pending - failed == 0 (either)            ``finally`` queued (every job ran once); a batch
                                          that is a chain's link and not cancelled queues the
                                          chain's next link
the failure that cancels it               a batch that is a chain's link queues the chain's
                                          catch callbacks
========================================  ====================================================

The counter update is the commit point: if it raises, the hook raises and the job is delivered
again. A callback that cannot be queued afterwards is logged, never retried by re-counting.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from foundry.queue.batching.callbacks import CallbackKind, push_callbacks
from foundry.queue.batching.nesting import continue_chain, fail_chain
from foundry.queue.batching.repository import BatchRepository
from foundry.queue.lifecycle import JobRun

if TYPE_CHECKING:
    from foundry.queue.batching.batch import Batch, BatchCounts
    from foundry.queue.manager import QueueManager

__all__ = ["BatchLifecycleHook"]

logger = logging.getLogger("foundry.queue")


def _member(run: JobRun) -> tuple[str, str] | None:
    """``(batch id, job id)`` when the delivered job belongs to a batch."""
    payload = run.payload
    if not payload or not payload.get("batch_id"):
        return None
    return str(payload["batch_id"]), str(payload.get("uuid") or run.reserved.id)


class BatchLifecycleHook:
    """The :class:`~foundry.queue.lifecycle.JobLifecycleHook` of batches."""

    def __init__(self, manager: QueueManager, repository: Callable[[], BatchRepository]) -> None:
        self.manager = manager
        self._repository = repository

    async def succeeded(self, run: JobRun) -> None:
        """Count a success; the update that empties the batch queues ``then``/``finally``."""
        member = _member(run)
        if member is None:
            return
        counts = await self._repository().record_success(*member)
        if counts is None:
            return  # the batch was deleted or pruned: nothing left to count
        due: list[CallbackKind] = []
        if counts.pending_jobs == 0:
            due.append("then")
        if counts.all_ran:
            due.append("finally")
        await self._queue_callbacks(member[0], due)

    async def released(self, run: JobRun, delay: float) -> None:
        """A retry is not an outcome: nothing to count."""

    async def failed(self, run: JobRun) -> None:
        """Count a failure; cancel when not allowed; the first queues ``catch``."""
        member = _member(run)
        if member is None:
            return
        repository = self._repository()
        counts = await repository.record_failure(*member)
        if counts is None:
            return
        await self._cancel_if_over(member[0], counts)
        due: list[CallbackKind] = []
        if counts.failed_jobs == 1:
            due.append("catch")
        if counts.all_ran:
            due.append("finally")
        await self._queue_callbacks(member[0], due)

    async def _cancel_if_over(self, batch_id: str, counts: BatchCounts) -> None:
        batch = await self._repository().find(batch_id)
        if batch is None or batch.allowed_failures is None:
            return
        if counts.failed_jobs == batch.allowed_failures + 1:
            await self._repository().cancel(batch_id)
            await self._run_chain(fail_chain, batch_id)

    async def _queue_callbacks(self, batch_id: str, due: list[CallbackKind]) -> None:
        if not due:
            return
        try:
            batch = await self._repository().find(batch_id)
            if batch is None:
                return
            for kind in due:
                await push_callbacks(self.manager, batch, kind)
        except Exception:  # counted already: a second count would be wrong, so log instead
            logger.exception("batch %s: queueing its %s callbacks failed", batch_id, due)
        if "finally" in due:
            await self._run_chain(continue_chain, batch_id)

    async def _run_chain(
        self, step: Callable[[QueueManager, Batch], Awaitable[None]], batch_id: str
    ) -> None:
        # The chain this batch is a link of (if any) moves on, or fails, once: the decision
        # came from this update's counters.
        try:
            batch = await self._repository().find(batch_id)
            if batch is not None:
                await step(self.manager, batch)
        except Exception:
            logger.exception("batch %s: moving its chain on failed", batch_id)
