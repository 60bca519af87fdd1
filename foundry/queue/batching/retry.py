"""``queue:retry-batch``: put a batch's failed jobs back on their queues."""

from __future__ import annotations

from dataclasses import dataclass, field

from foundry.queue.batching.batch import Batch
from foundry.queue.manager import QueueManager
from foundry.queue.retry import RetryRefused, retry_failed

__all__ = ["BatchRetry", "retry_batch"]


@dataclass(slots=True)
class BatchRetry:
    """What a retry did: the job ids queued again, and why others were not."""

    retried: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


async def retry_batch(manager: QueueManager, batch: Batch) -> BatchRetry:
    """Retry every failed job of ``batch`` (as ``queue:retry`` would, uuid kept).

    The counters change when the retried jobs run: a success leaves the failed ids and lowers
    ``pending_jobs``, and the one that empties the batch finishes it and queues ``then``.
    """
    outcome = BatchRetry()
    store = manager.failed_store()
    for job_id in batch.failed_job_ids:
        failed = await store.find(job_id)
        if failed is None:
            outcome.problems.append(f"No failed job matches the given ID [{job_id}].")
            continue
        try:
            await retry_failed(manager, failed)
        except RetryRefused as exc:
            outcome.problems.append(str(exc))
            continue
        outcome.retried.append(job_id)
    return outcome
