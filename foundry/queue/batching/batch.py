"""``Batch``: what a batch's row says, read with ``Batch.find(id)`` or ``self.batch()``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from foundry.kernel.facades import facade
from foundry.queue.batching.repository import BatchRepository

if TYPE_CHECKING:
    from foundry.queue.batching.pending import BatchMember

__all__ = ["Batch", "BatchCounts"]


@dataclass(frozen=True, slots=True)
class BatchCounts:
    """The counters right after one atomic update: what decides which callbacks run."""

    pending_jobs: int
    failed_jobs: int

    @property
    def all_ran(self) -> bool:
        """Every job ran once: the ones left pending are exactly the failed ones (Laravel's
        ``allJobsHaveRanExactlyOnce``); reached by a single update, so ``finally`` runs once."""
        return self.pending_jobs - self.failed_jobs == 0


@dataclass(frozen=True, slots=True)
class Batch:
    """A snapshot of one batch. ``pending_jobs`` counts the jobs that have not succeeded yet: a
    failed job stays pending until a retry of it succeeds."""

    id: str
    name: str
    total_jobs: int
    pending_jobs: int
    failed_jobs: int
    failed_job_ids: list[str]
    options: dict[str, Any]
    created_at: float
    cancelled_at: float | None = None
    finished_at: float | None = None
    repository: BatchRepository | None = field(default=None, compare=False, repr=False)

    @classmethod
    async def find(cls, batch_id: str) -> Batch | None:
        """The batch ``batch_id`` of the running app, or ``None``."""
        return await facade(BatchRepository).find(batch_id)

    @property
    def processed_jobs(self) -> int:
        """Jobs that succeeded."""
        return self.total_jobs - self.pending_jobs

    def progress(self) -> int:
        """Percent of the jobs that succeeded, 0 to 100."""
        return round(self.processed_jobs * 100 / self.total_jobs) if self.total_jobs else 0

    def finished(self) -> bool:
        """Every job succeeded, or the batch was cancelled."""
        return self.finished_at is not None

    def cancelled(self) -> bool:
        """The batch was cancelled (by ``cancel()`` or by a failure it does not allow)."""
        return self.cancelled_at is not None

    def has_failures(self) -> bool:
        """At least one job failed."""
        return self.failed_jobs > 0

    @property
    def allowed_failures(self) -> int | None:
        """How many failures the batch tolerates before it is cancelled; ``None``: any."""
        value = self.options.get("allowed_failures", 0)
        return None if value is None else int(value)

    def _store(self) -> BatchRepository:
        if self.repository is None:
            raise RuntimeError("this Batch was not read from a repository")
        return self.repository

    async def fresh(self) -> Batch:
        """The batch as stored now."""
        found = await self._store().find(self.id)
        if found is None:
            raise LookupError(f"batch {self.id} no longer exists")
        return found

    async def cancel(self) -> None:
        """Cancel the batch: its jobs that check ``cancelled()`` stop; nothing is removed."""
        await self._store().cancel(self.id)

    async def delete(self) -> None:
        """Delete the batch's row (its queued jobs still run, without a batch)."""
        await self._store().delete(self.id)

    async def add(self, jobs: Sequence[BatchMember]) -> list[str]:
        """Queue more jobs (or chains) in this batch (from inside one of its jobs too); the ids
        queued (a chain's first link)."""
        from foundry.queue.batching.pending import add_to_batch

        return await add_to_batch(self, jobs)

    def to_dict(self) -> dict[str, Any]:
        """The batch as JSON-ready values (``queue:batches --json``)."""
        return {
            "id": self.id,
            "name": self.name,
            "total_jobs": self.total_jobs,
            "pending_jobs": self.pending_jobs,
            "processed_jobs": self.processed_jobs,
            "progress": self.progress(),
            "failed_jobs": self.failed_jobs,
            "failed_job_ids": list(self.failed_job_ids),
            "created_at": self.created_at,
            "cancelled_at": self.cancelled_at,
            "finished_at": self.finished_at,
        }
