"""``FailedJobStore``: the ``failed_jobs`` table, shared by every driver."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from foundry.database.manager import DatabaseManager
from foundry.queue.tables import failed_jobs

__all__ = ["FailedJob", "FailedJobStore", "describe_exception"]


@dataclass(frozen=True, slots=True)
class FailedJob:
    """One row of ``failed_jobs``."""

    id: int
    uuid: str
    connection: str
    queue: str
    payload: str
    exception: str
    failed_at: float


def describe_exception(exc: BaseException) -> str:
    """``Type: message`` and the traceback, as stored in the ``exception`` column."""
    text = "".join(traceback.format_exception(exc)).strip()
    return text or f"{type(exc).__name__}: {exc}"


class FailedJobStore:
    """Records, lists, retries and forgets failed jobs in the app's database."""

    def __init__(self, database: DatabaseManager) -> None:
        self.database = database

    async def log(
        self, *, uuid: str, connection: str, queue: str, payload: str, exception: str
    ) -> None:
        """Record a failure; a second failure of the same uuid replaces the first."""
        row = {
            "uuid": uuid,
            "connection": connection,
            "queue": queue,
            "payload": payload,
            "exception": exception,
            "failed_at": time.time(),
        }
        async with self.database.begin() as conn:
            await conn.execute(delete(failed_jobs).where(failed_jobs.c.uuid == uuid))
            await conn.execute(failed_jobs.insert().values(row))

    async def all(self, queue: str | None = None) -> list[FailedJob]:
        """Every failed job, newest first (only ``queue``'s when given)."""
        statement = select(failed_jobs).order_by(failed_jobs.c.id.desc())
        if queue is not None:
            statement = statement.where(failed_jobs.c.queue == queue)
        async with self.database.connect() as conn:
            rows = (await conn.execute(statement)).all()
        return [FailedJob(**row._mapping) for row in rows]

    async def find(self, key: str) -> FailedJob | None:
        """A failed job by uuid, or by numeric id."""
        condition = failed_jobs.c.uuid == key
        if key.isdigit():
            condition = condition | (failed_jobs.c.id == int(key))
        async with self.database.connect() as conn:
            row = (await conn.execute(select(failed_jobs).where(condition))).first()
        return FailedJob(**row._mapping) if row is not None else None

    async def forget(self, key: str) -> bool:
        """Delete one failed job (uuid or id); whether it existed."""
        found = await self.find(key)
        if found is None:
            return False
        async with self.database.begin() as conn:
            await conn.execute(delete(failed_jobs).where(failed_jobs.c.id == found.id))
        return True

    async def flush(self, older_than_hours: float | None = None) -> int:
        """Delete every failed job (or those older than the given hours); returns how many."""
        statement = delete(failed_jobs)
        if older_than_hours is not None:
            statement = statement.where(
                failed_jobs.c.failed_at < time.time() - older_than_hours * 3600
            )
        async with self.database.begin() as conn:
            result = await conn.execute(statement)
        return int(result.rowcount or 0)

    async def counts(self) -> dict[tuple[str, str], int]:
        """Failed jobs per ``(connection, queue)``."""
        statement = select(failed_jobs.c.connection, failed_jobs.c.queue, func.count()).group_by(
            failed_jobs.c.connection, failed_jobs.c.queue
        )
        async with self.database.connect() as conn:
            rows = (await conn.execute(statement)).all()
        return {(row[0], row[1]): int(row[2]) for row in rows}
