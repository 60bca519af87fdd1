"""``BatchRepository``: where batches and their counters live (database or Redis).

Every counter change is one atomic operation that returns the counters it left behind, so the
caller decides from its own result whether it was the update that emptied the batch (or
recorded its first failure): exactly one worker sees that, however many finish at once.

Each member is counted at most once per outcome, by its job uuid: a job delivered again after a
worker crash (finished and counted, not yet deleted) changes nothing. A failed member that
succeeds later (a retry) is counted as a success once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.queue.batching.batch import Batch, BatchCounts

__all__ = ["BatchRepository"]


class BatchRepository(ABC):
    """Stores batches; bound in the container (``QUEUE_BATCHING`` picks the implementation)."""

    @abstractmethod
    async def create(
        self, batch_id: str, name: str, total_jobs: int, options: dict[str, Any]
    ) -> Batch:
        """Store a new batch with ``total_jobs`` pending jobs."""

    @abstractmethod
    async def find(self, batch_id: str) -> Batch | None:
        """The batch, or ``None``."""

    @abstractmethod
    async def recent(self, limit: int = 50) -> list[Batch]:
        """The newest batches first."""

    @abstractmethod
    async def page(self, offset: int, limit: int) -> list[Batch]:
        """``limit`` batches, newest first, after skipping the ``offset`` newest (the
        dashboard's pages)."""

    @abstractmethod
    async def count(self) -> int:
        """How many batches are stored."""

    @abstractmethod
    async def increment_total(self, batch_id: str, amount: int) -> None:
        """``amount`` more jobs (total and pending); the batch is unfinished again."""

    @abstractmethod
    async def record_success(self, batch_id: str, job_id: str) -> BatchCounts | None:
        """One job succeeded: one fewer pending, its id leaves the failed ids (a retry), and the
        batch is finished when none is pending. ``None`` when the batch is gone or this job's
        success was counted already."""

    @abstractmethod
    async def record_failure(self, batch_id: str, job_id: str) -> BatchCounts | None:
        """One job failed for good: one more failure and its id among the failed ids.
        ``None`` when the batch is gone or this job's outcome was counted already."""

    @abstractmethod
    async def cancel(self, batch_id: str) -> None:
        """Mark the batch cancelled (and finished), keeping the first time it was."""

    @abstractmethod
    async def delete(self, batch_id: str) -> None:
        """Forget the batch (and which members were counted)."""

    @abstractmethod
    async def prune(self, before: float) -> int:
        """Delete batches finished before ``before`` (Unix time); how many."""

    @abstractmethod
    async def prune_unfinished(self, before: float) -> int:
        """Delete unfinished batches created before ``before``; how many."""

    @abstractmethod
    async def prune_cancelled(self, before: float) -> int:
        """Delete cancelled batches created before ``before``; how many."""
