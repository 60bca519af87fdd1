"""The ``database`` driver: the ``jobs`` table, on PostgreSQL or SQLite.

Reserving is one ``UPDATE ... WHERE id = (SELECT ... LIMIT 1) RETURNING`` statement:

* On PostgreSQL the inner select takes ``FOR UPDATE SKIP LOCKED``, so concurrent workers each
  lock a different row and never wait on each other.
* On SQLite there is one writer at a time: the statement is a write from its first step, so it
  takes the database's write lock before it reads (no read-then-upgrade race, no
  ``SQLITE_BUSY_SNAPSHOT``), and selecting and marking the row happen under that one lock.
  Other workers wait on the busy timeout.

A row counts as available when it is not reserved and its ``available_at`` has come, or when
it was reserved more than ``retry_after`` seconds ago (its worker died).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy import and_, delete, func, or_, select, update

from foundry.database.manager import DatabaseManager
from foundry.database.session import DatabaseSession
from foundry.database.transactions import current_session
from foundry.queue.drivers.base import PollingDriver, PushItem, QueueCounts, ReservedJob
from foundry.queue.tables import jobs

__all__ = ["DatabaseDriver"]


class DatabaseDriver(PollingDriver):
    """Jobs in the ``jobs`` table of the app's database."""

    def __init__(
        self, name: str, database: DatabaseManager, *, default_queue: str, retry_after: float
    ) -> None:
        super().__init__(name, default_queue=default_queue, retry_after=retry_after)
        self.database = database
        self._postgres = database.engine.dialect.name == "postgresql"

    @staticmethod
    def _row(item: PushItem) -> dict[str, object]:
        return {
            "uuid": item.uuid,
            "queue": item.queue,
            "payload": item.payload,
            "attempts": 0,
            "priority": item.priority,
            "reserved_at": None,
            "available_at": item.available_at,
            "created_at": time.time(),
        }

    async def push(self, item: PushItem) -> None:
        await self._insert([item])

    async def bulk(self, items: Sequence[PushItem]) -> None:
        if items:
            await self._insert(items)

    async def _insert(self, items: Sequence[PushItem]) -> None:
        rows = [self._row(item) for item in items]
        session = current_session()
        if isinstance(session, DatabaseSession) and session.in_unit_of_work():
            # Pushed inside an open unit of work, the jobs are part of it (as with Laravel's
            # database queue): workers see them once it commits, a rollback removes them, and on
            # SQLite no second connection waits for the write lock this transaction holds.
            await session.execute(jobs.insert(), rows)
            return
        async with self.database.begin() as connection:
            await connection.execute(jobs.insert(), rows)

    async def pop(self, queue: str) -> ReservedJob | None:
        now = time.time()
        assert self.retry_after is not None
        candidate = (
            select(jobs.c.id)
            .where(
                jobs.c.queue == queue,
                or_(
                    and_(jobs.c.reserved_at.is_(None), jobs.c.available_at <= now),
                    jobs.c.reserved_at <= now - self.retry_after,
                ),
            )
            .order_by(jobs.c.priority.desc(), jobs.c.id)
            .limit(1)
        )
        if self._postgres:
            candidate = candidate.with_for_update(skip_locked=True)
        statement = (
            update(jobs)
            .where(jobs.c.id == candidate.scalar_subquery())
            .values(reserved_at=now, attempts=jobs.c.attempts + 1)
            .returning(jobs.c.id, jobs.c.queue, jobs.c.payload, jobs.c.attempts)
        )
        async with self.database.begin() as connection:
            row = (await connection.execute(statement)).first()
        if row is None:
            return None
        return ReservedJob(
            id=str(row.id),
            queue=row.queue,
            payload=row.payload,
            attempts=int(row.attempts),
            connection=self.name,
        )

    async def delete(self, job: ReservedJob) -> None:
        async with self.database.begin() as connection:
            await connection.execute(delete(jobs).where(jobs.c.id == int(job.id)))

    async def release(self, job: ReservedJob, delay: float, payload: str) -> None:
        async with self.database.begin() as connection:
            await connection.execute(
                update(jobs)
                .where(jobs.c.id == int(job.id))
                .values(reserved_at=None, available_at=time.time() + delay, payload=payload)
            )

    async def counts(self, queue: str) -> QueueCounts:
        now = time.time()
        reserved = jobs.c.reserved_at.is_not(None)
        statement = select(
            func.count().filter(~reserved & (jobs.c.available_at <= now)),
            func.count().filter(reserved),
            func.count().filter(~reserved & (jobs.c.available_at > now)),
        ).where(jobs.c.queue == queue)
        async with self.database.connect() as connection:
            row = (await connection.execute(statement)).one()
        return QueueCounts(pending=int(row[0]), reserved=int(row[1]), delayed=int(row[2]))

    async def queues(self) -> list[str]:
        async with self.database.connect() as connection:
            rows = await connection.execute(select(jobs.c.queue).distinct().order_by(jobs.c.queue))
        return [row[0] for row in rows]

    async def clear(self, queue: str) -> int:
        async with self.database.begin() as connection:
            result = await connection.execute(
                delete(jobs).where(jobs.c.queue == queue, jobs.c.reserved_at.is_(None))
            )
        return int(result.rowcount or 0)
