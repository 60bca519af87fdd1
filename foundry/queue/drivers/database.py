"""The ``database`` driver: the ``jobs`` table, on PostgreSQL or SQLite.

Reserving is one ``UPDATE ... WHERE id IN (SELECT ... LIMIT n) RETURNING`` statement, for up to
``n`` jobs at once (a worker prefetches several when its jobs are quick):

* On PostgreSQL the inner select takes ``FOR UPDATE SKIP LOCKED``, so concurrent workers each
  lock different rows and never wait on each other. It is evaluated once (``= ANY(ARRAY(...))``:
  a plain ``IN`` subquery may be re-run by the planner and lock more than ``n`` rows). The hot
  statements are plain SQL text, compiled once.
* On SQLite there is one writer at a time: the statement is a write from its first step, so it
  takes the database's write lock before it reads (no read-then-upgrade race, no
  ``SQLITE_BUSY_SNAPSHOT``), and selecting and marking the rows happen under that one lock.
  Other workers wait on the busy timeout.

A row counts as available when it is not reserved and its ``available_at`` has come, or when
it was reserved more than ``retry_after`` seconds ago (its worker died).

A worker defers its deletes (:meth:`DatabaseDriver.defer_deletes`) and writes them in one
statement before its next reserve and when it stops; a crash in between re-runs at most those
jobs, after ``retry_after`` (delivery is at least once). On PostgreSQL pushes ``NOTIFY`` and idle
workers wait on ``LISTEN`` (:mod:`foundry.queue.drivers.notify`) instead of polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import asynccontextmanager
from itertools import groupby

from sqlalchemy import and_, delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable

from foundry.database.manager import DatabaseManager
from foundry.database.session import DatabaseSession
from foundry.database.transactions import current_session
from foundry.queue.drivers.base import PollingDriver, PushItem, QueueCounts, ReservedJob
from foundry.queue.drivers.notify import CHANNEL, JobNotifications
from foundry.queue.tables import jobs

__all__ = ["DatabaseDriver"]

# The worker's finished jobs are deleted by the same statement (one round trip for both), and
# never chosen again by it: one statement must not change a row twice.
_PG_RESERVE = text("""
    WITH finished AS (DELETE FROM jobs WHERE id = ANY(CAST(:finished AS BIGINT[])))
    UPDATE jobs SET reserved_at = :now, attempts = attempts + 1
    WHERE id = ANY(ARRAY(
        SELECT id FROM jobs
        WHERE queue = :queue
          AND ((reserved_at IS NULL AND available_at <= :now) OR reserved_at <= :expired)
          AND id <> ALL(CAST(:finished AS BIGINT[]))
        ORDER BY priority DESC, id
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    ))
    RETURNING id, queue, payload, attempts, priority
    """)
_PG_DELETE = text("DELETE FROM jobs WHERE id = ANY(CAST(:ids AS BIGINT[]))")
_PG_GIVE_BACK = text(
    "UPDATE jobs SET reserved_at = NULL, attempts = attempts - 1 "
    "WHERE id = ANY(CAST(:ids AS BIGINT[])) AND reserved_at = :reserved_at"
)
# The push notifies in the INSERT itself (no extra round trip), so in its transaction:
# PostgreSQL delivers at commit, never for a rollback, and once per queue (it folds duplicates).
_PG_INSERT = jobs.insert().returning(func.pg_notify(CHANNEL, jobs.c.queue))
_PG_NEXT_DUE = text(
    "SELECT min(CASE WHEN reserved_at IS NULL THEN available_at "
    "ELSE reserved_at + :retry_after END) FROM jobs WHERE queue = ANY(:queues)"
)
#: The shortest idle wait: a due row that a poll did not get is locked by another worker for a
#: moment; waiting a little instead of not at all keeps an idle worker from spinning on it.
_MIN_WAIT = 0.05


class DatabaseDriver(PollingDriver):
    """Jobs in the ``jobs`` table of the app's database."""

    def __init__(
        self, name: str, database: DatabaseManager, *, default_queue: str, retry_after: float
    ) -> None:
        super().__init__(name, default_queue=default_queue, retry_after=retry_after)
        self.database = database
        self._postgres = database.engine.dialect.name == "postgresql"
        #: Ids of finished jobs not deleted yet (``None``: deletes are not deferred).
        self._finished: list[int] | None = None
        self._notifications: JobNotifications | None = None
        #: A worker's own connection on PostgreSQL, in autocommit (see :meth:`_worker_statements`).
        self._own: AsyncConnection | None = None

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
            "batch_id": item.batch_id,
        }

    async def push(self, item: PushItem) -> None:
        await self._insert([item])

    async def bulk(self, items: Sequence[PushItem]) -> None:
        if items:
            await self._insert(items)

    async def _insert(self, items: Sequence[PushItem]) -> None:
        rows = [self._row(item) for item in items]
        statement = _PG_INSERT if self._postgres else jobs.insert()
        session = current_session()
        if isinstance(session, DatabaseSession) and session.in_unit_of_work():
            # Pushed inside an open unit of work, the jobs are part of it (as with Laravel's
            # database queue): workers see them once it commits, a rollback removes them, and on
            # SQLite no second connection waits for the write lock this transaction holds.
            await session.execute(statement, rows)
            return
        async with self.database.begin() as connection:
            await connection.execute(statement, rows)

    async def hand_over(self, item: PushItem, finished: ReservedJob) -> None:
        """Store ``item`` and delete ``finished`` in one transaction (a chain's next link
        appears exactly when the link before it goes), notifying idle workers as a push does."""
        statement = _PG_INSERT if self._postgres else jobs.insert()
        async with self.database.begin() as connection:
            await connection.execute(statement, [self._row(item)])
            await connection.execute(delete(jobs).where(jobs.c.id == int(finished.id)))

    async def pop(self, queue: str) -> ReservedJob | None:
        reserved = await self.reserve(queue, 1)
        return reserved[0] if reserved else None

    async def reserve(self, queue: str, limit: int) -> list[ReservedJob]:
        """Reserve up to ``limit`` available jobs of ``queue`` in one statement, in order."""
        now = time.time()
        assert self.retry_after is not None
        expired = now - self.retry_after
        finished = list(self._finished or ())
        async with self._worker_statements() as connection:
            if self._postgres:
                params = {
                    "now": now,
                    "queue": queue,
                    "expired": expired,
                    "limit": limit,
                    "finished": finished,
                }
                rows = (await connection.execute(_PG_RESERVE, params)).all()
            else:
                # The deferred deletes go first, in the same transaction.
                await self._delete_ids(connection, finished)
                rows = (await connection.execute(_sqlite_reserve(queue, now, expired, limit))).all()
        if finished and self._finished is not None:
            del self._finished[: len(finished)]
        found = [
            ReservedJob(
                id=str(row.id),
                queue=row.queue,
                payload=row.payload,
                attempts=int(row.attempts),
                connection=self.name,
                priority=int(row.priority),
                reserved_at=now,
            )
            for row in rows
        ]
        # RETURNING gives no order: put them back in the order they were chosen.
        found.sort(key=lambda job: (-job.priority, int(job.id)))
        return found

    def defer_deletes(self) -> None:
        """Defer deletes (see the base class). This driver is then a worker's: on PostgreSQL it
        also keeps a connection of its own for its statements (:meth:`_worker_statements`)."""
        self._finished = self._finished if self._finished is not None else []

    @asynccontextmanager
    async def _worker_statements(self) -> AsyncIterator[AsyncConnection]:
        """Where a worker's reserve, delete and give-back statements run.

        On PostgreSQL, once deletes are deferred (a worker), a connection kept for the worker in
        autocommit: each of those is one self-contained statement, so it costs one round trip,
        not four (pool check-out ping, ``BEGIN``, the statement, ``COMMIT``). A connection that
        failed is discarded and the next statement opens another (after an outage). Elsewhere,
        and under a test's shared connection, a transaction of the pool's.
        """
        if not self._postgres or self._finished is None or self.database.connection is not None:
            async with self.database.begin() as connection:
                yield connection
            return
        if self._own is None:
            connection = await self.database.engine.connect()
            try:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
            except BaseException:
                await connection.invalidate()
                raise
            self._own = connection
        own = self._own
        try:
            yield own
            await own.commit()  # autocommit: ends SQLAlchemy's bookkeeping, sends nothing
        except BaseException:
            self._own = None
            with contextlib.suppress(Exception):
                await own.invalidate()
            raise

    async def flush(self) -> None:
        finished = self._finished
        if not finished:
            return
        ids = list(finished)
        async with self._worker_statements() as connection:
            await self._delete_ids(connection, ids)
        del finished[: len(ids)]

    async def _delete_ids(self, connection: AsyncConnection, ids: list[int]) -> None:
        if not ids:
            return
        if self._postgres:
            await connection.execute(_PG_DELETE, {"ids": ids})
        else:
            await connection.execute(delete(jobs).where(jobs.c.id.in_(ids)))

    async def delete(self, job: ReservedJob) -> None:
        if self._finished is not None:
            self._finished.append(int(job.id))
            return
        async with self.database.begin() as connection:
            await connection.execute(delete(jobs).where(jobs.c.id == int(job.id)))

    async def give_back(self, reserved: Sequence[ReservedJob]) -> None:
        """Make unstarted jobs available again at once, their reservation not counted.

        Only rows this worker still holds change: one reserved again by another worker after
        ``retry_after`` is left to it.
        """
        by_time = groupby(sorted(reserved, key=_reserved_at), key=_reserved_at)
        async with self._worker_statements() as connection:
            for reserved_at, group in by_time:
                ids = [int(job.id) for job in group]
                if self._postgres:
                    params = {"ids": ids, "reserved_at": reserved_at}
                    await connection.execute(_PG_GIVE_BACK, params)
                    continue
                await connection.execute(
                    update(jobs)
                    .where(jobs.c.id.in_(ids), jobs.c.reserved_at == reserved_at)
                    .values(reserved_at=None, attempts=jobs.c.attempts - 1)
                )

    async def release(self, job: ReservedJob, delay: float, payload: str) -> None:
        async with self.database.begin() as connection:
            await connection.execute(
                update(jobs)
                .where(jobs.c.id == int(job.id))
                .values(reserved_at=None, available_at=time.time() + delay, payload=payload)
            )

    async def wait_for_jobs(self, queues: Collection[str], timeout: float) -> None:
        """On PostgreSQL, wait for a push's ``NOTIFY`` or for the next delayed job's time;
        elsewhere (or under a test's shared connection, whose pushes never commit) sleep."""
        if not self._postgres or self.database.connection is not None:
            await asyncio.sleep(timeout)
            return
        if self._notifications is None:
            self._notifications = JobNotifications(self.database.engine)
        if self._notifications.listening:
            timeout = min(timeout, await self._seconds_until_due(queues))
        await self._notifications.wait(queues, timeout)

    async def _seconds_until_due(self, queues: Collection[str]) -> float:
        """Seconds until the earliest delayed job of ``queues`` becomes available (or a reserved
        one is handed out again); infinite when there is none."""
        params = {"retry_after": float(self.retry_after or 0), "queues": list(queues)}
        async with self._worker_statements() as connection:
            due = (await connection.execute(_PG_NEXT_DUE, params)).scalar()
        if due is None:
            return float("inf")
        return max(float(due) - time.time(), _MIN_WAIT)

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

    async def aclose(self) -> None:
        notifications, self._notifications = self._notifications, None
        if notifications is not None:
            await notifications.close()
        own, self._own = self._own, None
        if own is not None:
            with contextlib.suppress(Exception):
                await own.close()


def _reserved_at(job: ReservedJob) -> float:
    return job.reserved_at or 0.0


def _sqlite_reserve(queue: str, now: float, expired: float, limit: int) -> Executable:
    candidate = (
        select(jobs.c.id)
        .where(
            jobs.c.queue == queue,
            or_(
                and_(jobs.c.reserved_at.is_(None), jobs.c.available_at <= now),
                jobs.c.reserved_at <= expired,
            ),
        )
        .order_by(jobs.c.priority.desc(), jobs.c.id)
        .limit(limit)
    )
    return (
        update(jobs)
        .where(jobs.c.id.in_(candidate))
        .values(reserved_at=now, attempts=jobs.c.attempts + 1)
        .returning(jobs.c.id, jobs.c.queue, jobs.c.payload, jobs.c.attempts, jobs.c.priority)
    )
