"""The Batches pages' service: list and show job batches, retry a batch's failed jobs, cancel it.

Retrying is :func:`foundry.queue.batching.retry_batch` (what ``queue:retry-batch`` runs) and
cancelling is :meth:`foundry.queue.batching.Batch.cancel`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select

from foundry.dashboard.jobs import failed_row
from foundry.dashboard.listing import JobRow, row_from_payload
from foundry.dashboard.pending import job_status
from foundry.queue.batching import Batch, BatchRepository, BatchRetry, retry_batch
from foundry.queue.drivers.database import DatabaseDriver
from foundry.queue.drivers.redis import RedisDriver
from foundry.queue.errors import UnknownConnectionError
from foundry.queue.failed import FailedJob
from foundry.queue.manager import QueueManager
from foundry.queue.tables import failed_jobs, jobs

__all__ = [
    "BATCH_ID",
    "BatchPage",
    "BatchStatus",
    "DashboardBatches",
    "batch_json",
    "batch_status",
]

BatchStatus = Literal["pending", "failing", "finished", "cancelled"]
#: What a batch id can look like (uuid7 text): anything else is no batch, without a query.
BATCH_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def batch_status(batch: Batch) -> BatchStatus:
    """``cancelled``, ``finished``, ``failing`` (still running, some jobs failed) or
    ``pending``."""
    if batch.cancelled():
        return "cancelled"
    if batch.finished():
        return "finished"
    return "failing" if batch.has_failures() else "pending"


def batch_json(batch: Batch) -> dict[str, Any]:
    """A batch as the list sends it: counters, progress, state and the options an operator
    needs (the callbacks' signed payloads stay on the server, only their names go)."""
    options = batch.options
    callbacks = options.get("callbacks") or {}
    return {
        **batch.to_dict(),
        "status": batch_status(batch),
        "options": {
            "connection": options.get("connection"),
            "queue": options.get("queue"),
            "allowed_failures": batch.allowed_failures,
            "callbacks": {
                kind: [str(entry.get("name", "")) for entry in callbacks.get(kind, [])]
                for kind in ("then", "catch", "finally")
            },
        },
    }


@dataclass(frozen=True, slots=True)
class BatchPage:
    """One page of the list, and how many batches there are."""

    batches: list[Batch]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one, empty or not)."""
        return max(1, -(-self.total // self.per_page))


class DashboardBatches:
    """Reads batches for the dashboard and acts on them."""

    def __init__(
        self, manager: QueueManager, repository: BatchRepository, *, page_size: int
    ) -> None:
        """
        Args:
            manager: the queue manager (connections, the failed job store).
            repository: where the batches live (``QUEUE_BATCHING``).
            page_size: batches per page, and the most jobs a batch's page lists.
        """
        self.manager = manager
        self.repository = repository
        self.page_size = page_size

    async def page(self, number: int) -> BatchPage:
        """Page ``number`` (from 1) of the batches, newest first."""
        offset = (number - 1) * self.page_size
        found = await self.repository.page(offset, self.page_size)
        return BatchPage(found, await self.repository.count(), number, self.page_size)

    async def find(self, batch_id: str) -> Batch | None:
        """The batch, or ``None`` (also for text that cannot be a batch id)."""
        if not BATCH_ID.match(batch_id):
            return None
        return await self.repository.find(batch_id)

    async def failed_jobs(self, batch: Batch) -> tuple[list[JobRow], list[str]]:
        """The batch's failed jobs still in ``failed_jobs`` (newest first), and the ids of those
        no longer there (forgotten or pruned)."""
        wanted = batch.failed_job_ids[: self.page_size]
        if not wanted:
            return [], []
        statement = (
            select(failed_jobs)
            .where(failed_jobs.c.uuid.in_(wanted))
            .order_by(failed_jobs.c.id.desc())
        )
        async with self.manager.failed_store().database.connect() as connection:
            rows = (await connection.execute(statement)).all()
        found = [FailedJob(**row._mapping) for row in rows]
        present = {failed.uuid for failed in found}
        return [failed_row(failed) for failed in found], [
            job_id for job_id in wanted if job_id not in present
        ]

    def connection_name(self, batch: Batch) -> str:
        """The queue connection the batch's jobs went to."""
        return str(batch.options.get("connection") or self.manager.default_connection)

    async def pending_jobs(self, batch: Batch) -> tuple[list[JobRow] | None, str]:
        """The batch's jobs waiting or running, next first, when the connection can list them
        (``None`` otherwise), and what the page should say about it."""
        name = self.connection_name(batch)
        try:
            driver = self.manager.connection(name)
        except UnknownConnectionError:  # removed from the config since the dispatch
            return None, f"The batch's connection {name} is not configured any more."
        if isinstance(driver, DatabaseDriver):
            return await _database_members(driver, batch.id, self.page_size), ""
        if isinstance(driver, RedisDriver):
            return None, (
                f"The batch's jobs are on the redis connection {name}. rq keeps no index of "
                "jobs by batch, so they cannot be listed here without reading every job of "
                "every queue: the counters above are exact, and Jobs › Pending lists the "
                "waiting jobs."
            )
        return None, (
            f"The batch's jobs went to the {name} connection, which keeps its jobs inside the "
            "process that queued them: no other process can list them."
        )

    async def retry(self, batch: Batch) -> BatchRetry:
        """Put the batch's failed jobs back on their queues (``queue:retry-batch``)."""
        return await retry_batch(self.manager, batch)


async def _database_members(driver: DatabaseDriver, batch_id: str, limit: int) -> list[JobRow]:
    # The driver fills jobs.batch_id for members (ix_jobs_batch_id): no payload is scanned.
    statement = (
        select(jobs)
        .where(jobs.c.batch_id == batch_id)
        .order_by(jobs.c.priority.desc(), jobs.c.id)
        .limit(limit)
    )
    async with driver.database.connect() as connection:
        rows = (await connection.execute(statement)).all()
    now = time.time()
    return [
        row_from_payload(
            row.uuid,
            row.payload,
            connection=driver.name,
            queue=row.queue,
            status=job_status(row.reserved_at, row.available_at, now),
            attempts=int(row.attempts),
            at=float(row.created_at),
        )
        for row in rows
    ]
