"""The Jobs pages' service: list, search and show jobs; retry and forget failed ones.

Retrying is :func:`foundry.queue.retry.retry_failed` and forgetting is
:meth:`foundry.queue.failed.FailedJobStore.forget`, exactly what ``queue:retry`` and
``queue:forget`` do.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, or_, select

from foundry.dashboard.listing import JobFilter, JobRow, row_from_payload
from foundry.dashboard.pending import database_jobs, find_database_job, find_redis_job, redis_jobs
from foundry.dashboard.redaction import redacted_payload
from foundry.queue.drivers.base import QueueDriver
from foundry.queue.drivers.database import DatabaseDriver
from foundry.queue.drivers.redis import RedisDriver
from foundry.queue.failed import FailedJob
from foundry.queue.manager import QueueManager
from foundry.queue.retry import RetryRefused, retry_failed
from foundry.queue.tables import failed_jobs

__all__ = [
    "BulkOutcome",
    "DashboardJobs",
    "PendingListing",
    "failed_detail",
    "failed_row",
    "pending_detail",
]

logger = logging.getLogger("foundry.dashboard")


@dataclass(slots=True)
class PendingListing:
    """Waiting and running jobs, and the connections that could not be read."""

    rows: list[JobRow] = field(default_factory=list)
    connections: list[str] = field(default_factory=list)
    unavailable: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class BulkOutcome:
    """What a retry or forget did, id by id."""

    done: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The JSON answer of the action endpoints."""
        return {"done": self.done, "missing": self.missing, "refused": self.refused}


class DashboardJobs:
    """Reads the queue's jobs for the dashboard and acts on failed ones."""

    def __init__(self, manager: QueueManager, *, redis_in_use: bool, page_size: int) -> None:
        """
        Args:
            manager: the queue manager (connections, the failed job store).
            redis_in_use: whether the app talks to Redis; its connections are read only then.
            page_size: the most rows a list returns.
        """
        self.manager = manager
        self.redis_in_use = redis_in_use
        self.page_size = page_size

    def readable_connections(self) -> list[QueueDriver]:
        """The connections whose jobs another process can see: the first database one (every
        database connection shares the ``jobs`` table) and, with Redis in use, the redis ones."""
        found: list[QueueDriver] = []
        seen_database = False
        for name, config in self.manager.settings.all_connections().items():
            if config.driver == "database" and not seen_database:
                seen_database = True
                found.append(self.manager.connection(name))
            elif config.driver == "redis" and self.redis_in_use:
                found.append(self.manager.connection(name))
        return found

    async def pending(self, search: JobFilter) -> PendingListing:
        """Waiting, running and delayed jobs matching ``search``."""
        listing = PendingListing()
        for driver in self.readable_connections():
            listing.connections.append(driver.name)
            try:
                if isinstance(driver, DatabaseDriver):
                    listing.rows += await database_jobs(driver, search, self.page_size)
                elif isinstance(driver, RedisDriver):
                    listing.rows += await redis_jobs(driver, search, self.page_size)
            except Exception as exc:  # an unreachable back end is shown, not a 500
                logger.warning("queue dashboard: cannot read connection %s: %s", driver.name, exc)
                listing.unavailable[driver.name] = f"{type(exc).__name__}: {exc}"
        listing.rows = listing.rows[: self.page_size]
        return listing

    async def find_pending(self, uuid: str) -> tuple[JobRow, str] | None:
        """A waiting or running job by uuid, and its payload text."""
        for driver in self.readable_connections():
            if isinstance(driver, DatabaseDriver):
                found = await find_database_job(driver.database, uuid)
                if found is not None:
                    return _renamed(found, driver.name)
            elif isinstance(driver, RedisDriver):
                try:
                    found = await find_redis_job(driver, uuid)
                except Exception:  # unreachable: the job cannot be shown from there
                    continue
                if found is not None:
                    return found
        return None

    async def failed(self, search: JobFilter) -> tuple[list[JobRow], int]:
        """Failed jobs matching ``search``, newest first, and how many failed jobs there are."""
        statement = select(failed_jobs).order_by(failed_jobs.c.id.desc())
        needle = search.text.strip().lower()
        if needle:
            conditions = [
                func.lower(failed_jobs.c.payload).contains(needle, autoescape=True),
                func.lower(failed_jobs.c.uuid).startswith(needle, autoescape=True),
            ]
            if needle.isdigit() and len(needle) < 19:
                conditions.append(failed_jobs.c.id == int(needle))
            statement = statement.where(or_(*conditions))
        if search.queue:
            statement = statement.where(failed_jobs.c.queue == search.queue)
        statement = statement.limit(self.page_size * 4)
        database = self.manager.failed_store().database
        async with database.connect() as connection:
            rows = (await connection.execute(statement)).all()
            total = int(
                (await connection.execute(select(func.count()).select_from(failed_jobs))).scalar()
                or 0
            )
        found = [failed_row(FailedJob(**row._mapping)) for row in rows]
        return [row for row in found if search.matches(row)][: self.page_size], total

    async def find_failed(self, key: str) -> FailedJob | None:
        """A failed job by id or uuid."""
        if not key.isdigit() and len(key) > 64:
            return None
        if key.isdigit() and len(key) >= 19:  # beyond a BIGINT: no such row
            return None
        return await self.manager.failed_store().find(key)

    async def retry(self, keys: list[str]) -> BulkOutcome:
        """Put these failed jobs back on their queues (``queue:retry ID...``)."""
        outcome = BulkOutcome()
        for key in keys:
            failed = await self.find_failed(key)
            if failed is None:
                outcome.missing.append(key)
                continue
            try:
                await retry_failed(self.manager, failed)
            except RetryRefused as exc:
                outcome.refused[key] = str(exc)
                continue
            outcome.done.append(key)
        return outcome

    async def forget(self, keys: list[str]) -> BulkOutcome:
        """Delete these failed jobs (``queue:forget ID``)."""
        outcome = BulkOutcome()
        store = self.manager.failed_store()
        for key in keys:
            if await self.find_failed(key) is not None and await store.forget(key):
                outcome.done.append(key)
            else:
                outcome.missing.append(key)
        return outcome


def failed_row(failed: FailedJob) -> JobRow:
    """A failed job as the lists show it."""
    return row_from_payload(
        str(failed.id),
        failed.payload,
        connection=failed.connection,
        queue=failed.queue,
        status="failed",
        attempts=_exceptions(failed.payload),
        at=failed.failed_at,
        exception=failed.exception,
    )


def _exceptions(payload_text: str) -> int:
    payload = redacted_payload(payload_text)
    count = payload.get("exceptions") if payload else None
    return count if isinstance(count, int) else 0


def _renamed(found: tuple[JobRow, str], connection: str) -> tuple[JobRow, str]:
    row, text = found
    return replace(row, connection=connection), text


def failed_detail(failed: FailedJob) -> dict[str, Any]:
    """A failed job's page: its row, the redacted payload and the whole exception."""
    return {
        **failed_row(failed).as_json(),
        "payload": redacted_payload(failed.payload),
        "trace": failed.exception,
    }


def pending_detail(row: JobRow, payload_text: str) -> dict[str, Any]:
    """A waiting or running job's page: its row and the redacted payload."""
    payload = redacted_payload(payload_text)
    return {
        **row.as_json(),
        "payload": payload,
        "trace": "",
    }
