"""Completed jobs of database connections in the ``completed_jobs`` table.

A write is one transaction: the insert of every record held, then the trim: rows past the
retention (on the ``finished_at`` index), then rows beyond the limit, counted by id (ids grow
with each insert, so the newest ``limit`` ids are the newest rows, near enough; reading the
``max(id)`` costs one index probe where counting rows by time would scan ``limit`` of them).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select

from foundry.database.manager import DatabaseManager
from foundry.queue.completed.record import CompletedJob
from foundry.queue.completed.store import CompletedStore
from foundry.queue.tables import completed_jobs

__all__ = ["DatabaseCompletedStore"]

#: Rows per insert statement: SQLite caps bound parameters (32766; 7 columns a row).
_CHUNK = 1000


class DatabaseCompletedStore(CompletedStore):
    """The ``completed_jobs`` table of ``database``."""

    def __init__(self, database: DatabaseManager, retention: float, limit: int) -> None:
        super().__init__(retention, limit)
        self.database = database

    @property
    def key(self) -> str:
        return f"database:{self.database.engine.url.render_as_string(hide_password=True)}"

    def _trims(self, now: float) -> list[object]:
        newest = select(func.max(completed_jobs.c.id)).scalar_subquery()
        return [
            delete(completed_jobs).where(completed_jobs.c.finished_at < now - self.retention),
            delete(completed_jobs).where(completed_jobs.c.id <= newest - self.limit),
        ]

    async def add(self, records: Sequence[CompletedJob], now: float) -> None:
        rows = [record.as_json() for record in records]
        async with self.database.begin() as connection:
            for start in range(0, len(rows), _CHUNK):
                await connection.execute(completed_jobs.insert(), rows[start : start + _CHUNK])
            for statement in self._trims(now):
                await connection.execute(statement)  # type: ignore[call-overload]  # a Delete

    async def recent(self, queue: str | None, offset: int, limit: int) -> list[CompletedJob]:
        # By time alone: a tie-breaker column would keep PostgreSQL off the (queue, finished_at)
        # index when a queue is asked for.
        statement = select(completed_jobs).order_by(completed_jobs.c.finished_at.desc())
        if queue:
            statement = statement.where(completed_jobs.c.queue == queue)
        async with self.database.connect() as connection:
            rows = (await connection.execute(statement.offset(offset).limit(limit))).mappings()
            return [CompletedJob.from_mapping(dict(row)) for row in rows.all()]

    async def prune(self, now: float) -> int:
        dropped = 0
        async with self.database.begin() as connection:
            for statement in self._trims(now):
                result = await connection.execute(statement)  # type: ignore[call-overload]
                dropped += int(result.rowcount or 0)
        return dropped
