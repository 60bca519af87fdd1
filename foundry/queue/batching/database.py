"""``DatabaseBatchRepository``: batches in the ``job_batches`` table.

Each counter change is a single ``UPDATE ... RETURNING`` (PostgreSQL, and SQLite from 3.35):
the row lock (PostgreSQL) or the write lock (SQLite) orders concurrent updates, and each gets
back the counters its own update produced. Laravel reads the row ``FOR UPDATE`` and writes it
back in a transaction; one statement does the same with one round trip. ``failed_job_ids`` is
a JSON array of uuids edited with plain string functions both databases have, inside that
statement.

A member is counted at most once per outcome: the same transaction first records its uuid in
``job_batch_jobs`` (``INSERT ... ON CONFLICT DO NOTHING``; a failed member that now succeeds
moves to ``succeeded`` with an ``UPDATE ... WHERE outcome = 'failed'``), and the counters change
only when that row was written. A member delivered again after a worker crash (the queue is at
least once) finds its row and changes nothing, so no callback can run early or twice.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

from sqlalchemy import ColumnElement, Text, case, delete, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from foundry.database.manager import DatabaseManager
from foundry.queue.batching.batch import Batch, BatchCounts
from foundry.queue.batching.repository import BatchRepository
from foundry.queue.tables import job_batch_jobs, job_batches

__all__ = ["DatabaseBatchRepository"]

_T = job_batches.c
_M = job_batch_jobs.c
#: Job ids the failed-ids text can hold without escaping (our uuids; anything else is counted
#: but not listed).
_PLAIN_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def _without(ids: ColumnElement[Any], quoted: str) -> ColumnElement[Any]:
    # '"x",' (first or middle), ',"x"' (last), then '"x"' (the only one) -> removed.
    first = func.replace(ids, quoted + ",", "", type_=Text)
    last = func.replace(first, "," + quoted, "", type_=Text)
    return func.replace(last, quoted, "", type_=Text)


def _with(ids: ColumnElement[Any], quoted: str) -> ColumnElement[Any]:
    appended = func.substr(ids, 1, func.length(ids) - 1, type_=Text).op("||")(
        literal("," + quoted + "]", Text)
    )
    return case(
        (ids.like(f"%{quoted}%"), ids),
        (ids == "[]", literal("[" + quoted + "]", Text)),
        else_=appended,
    )


class _BatchGone(Exception):
    """Rolls back a member's row when its batch no longer exists."""


async def _claim(conn: AsyncConnection, batch_id: str, job_id: str, outcome: str) -> bool:
    """Record ``job_id``'s ``outcome`` in ``job_batch_jobs``; ``False`` if it was recorded.

    Concurrent claims of one member wait on its primary key (PostgreSQL) or the write lock
    (SQLite), so exactly one of them writes the row.
    """
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    insert = (
        dialect.insert(job_batch_jobs)
        .values(batch_id=batch_id, job_uuid=job_id, outcome=outcome)
        .on_conflict_do_nothing()
        .returning(_M.job_uuid)
    )
    if (await conn.execute(insert)).first() is not None:
        return True
    if outcome != "succeeded":
        return False
    # A failed member that succeeds now (a retry) is counted once more, as a success.
    retried = (
        update(job_batch_jobs)
        .where((_M.batch_id == batch_id) & (_M.job_uuid == job_id) & (_M.outcome == "failed"))
        .values(outcome=outcome)
        .returning(_M.job_uuid)
    )
    return (await conn.execute(retried)).first() is not None


def _members_of(condition: ColumnElement[bool]) -> Any:
    return delete(job_batch_jobs).where(_M.batch_id.in_(select(_T.id).where(condition)))


class DatabaseBatchRepository(BatchRepository):
    """``job_batches`` on the app's database."""

    def __init__(self, database: DatabaseManager) -> None:
        self.database = database

    def _batch(self, row: RowMapping) -> Batch:
        return Batch(
            id=row["id"],
            name=row["name"],
            total_jobs=int(row["total_jobs"]),
            pending_jobs=int(row["pending_jobs"]),
            failed_jobs=int(row["failed_jobs"]),
            failed_job_ids=list(json.loads(row["failed_job_ids"] or "[]")),
            options=dict(json.loads(row["options"] or "{}")),
            created_at=float(row["created_at"]),
            cancelled_at=row["cancelled_at"],
            finished_at=row["finished_at"],
            repository=self,
        )

    async def create(
        self, batch_id: str, name: str, total_jobs: int, options: dict[str, Any]
    ) -> Batch:
        now = time.time()
        row = {
            "id": batch_id,
            "name": name,
            "total_jobs": total_jobs,
            "pending_jobs": total_jobs,
            "failed_jobs": 0,
            "failed_job_ids": "[]",
            "options": json.dumps(options, separators=(",", ":")),
            "created_at": now,
            "cancelled_at": None,
            # An empty batch has nothing to wait for.
            "finished_at": None if total_jobs else now,
        }
        async with self.database.begin() as conn:
            await conn.execute(job_batches.insert().values(row))
        found = await self.find(batch_id)
        assert found is not None
        return found

    async def find(self, batch_id: str) -> Batch | None:
        async with self.database.connect() as conn:
            row = (await conn.execute(select(job_batches).where(_T.id == batch_id))).first()
        return self._batch(row._mapping) if row is not None else None

    async def recent(self, limit: int = 50) -> list[Batch]:
        return await self.page(0, limit)

    async def page(self, offset: int, limit: int) -> list[Batch]:
        statement = (
            select(job_batches)
            .order_by(_T.created_at.desc(), _T.id.desc())
            .offset(offset)
            .limit(limit)
        )
        async with self.database.connect() as conn:
            rows = (await conn.execute(statement)).all()
        return [self._batch(row._mapping) for row in rows]

    async def count(self) -> int:
        async with self.database.connect() as conn:
            found = await conn.execute(select(func.count()).select_from(job_batches))
        return int(found.scalar() or 0)

    async def increment_total(self, batch_id: str, amount: int) -> None:
        statement = (
            update(job_batches)
            .where(_T.id == batch_id)
            .values(
                total_jobs=_T.total_jobs + amount,
                pending_jobs=_T.pending_jobs + amount,
                finished_at=None,
            )
        )
        async with self.database.begin() as conn:
            await conn.execute(statement)

    async def _counts(
        self, statement: Any, batch_id: str, job_id: str, outcome: str
    ) -> BatchCounts | None:
        try:
            async with self.database.begin() as conn:
                if not await _claim(conn, batch_id, job_id, outcome):
                    return None  # this outcome of this member was counted already
                row = (await conn.execute(statement)).first()
                if row is None:
                    raise _BatchGone
        except _BatchGone:
            return None
        return BatchCounts(int(row.pending_jobs), int(row.failed_jobs))

    async def record_success(self, batch_id: str, job_id: str) -> BatchCounts | None:
        values: dict[str, Any] = {
            "pending_jobs": _T.pending_jobs - 1,
            # Finished by the same statement that empties it: no window between the two.
            "finished_at": case((_T.pending_jobs - 1 == 0, time.time()), else_=_T.finished_at),
        }
        if _PLAIN_ID.match(job_id):
            values["failed_job_ids"] = _without(_T.failed_job_ids, json.dumps(job_id))
        statement = (
            update(job_batches)
            .where(_T.id == batch_id)
            .values(values)
            .returning(_T.pending_jobs, _T.failed_jobs)
        )
        return await self._counts(statement, batch_id, job_id, "succeeded")

    async def record_failure(self, batch_id: str, job_id: str) -> BatchCounts | None:
        values: dict[str, Any] = {"failed_jobs": _T.failed_jobs + 1}
        if _PLAIN_ID.match(job_id):
            values["failed_job_ids"] = _with(_T.failed_job_ids, json.dumps(job_id))
        statement = (
            update(job_batches)
            .where(_T.id == batch_id)
            .values(values)
            .returning(_T.pending_jobs, _T.failed_jobs)
        )
        return await self._counts(statement, batch_id, job_id, "failed")

    async def cancel(self, batch_id: str) -> None:
        now = time.time()
        statement = (
            update(job_batches)
            .where(_T.id == batch_id)
            .values(
                cancelled_at=func.coalesce(_T.cancelled_at, now),
                finished_at=func.coalesce(_T.finished_at, now),
            )
        )
        async with self.database.begin() as conn:
            await conn.execute(statement)

    async def delete(self, batch_id: str) -> None:
        async with self.database.begin() as conn:
            await conn.execute(delete(job_batch_jobs).where(_M.batch_id == batch_id))
            await conn.execute(delete(job_batches).where(_T.id == batch_id))

    async def _delete_where(self, condition: ColumnElement[bool]) -> int:
        async with self.database.begin() as conn:
            await conn.execute(_members_of(condition))
            result = await conn.execute(delete(job_batches).where(condition))
        return int(result.rowcount or 0)

    async def prune(self, before: float) -> int:
        return await self._delete_where(_T.finished_at.is_not(None) & (_T.finished_at < before))

    async def prune_unfinished(self, before: float) -> int:
        return await self._delete_where(_T.finished_at.is_(None) & (_T.created_at < before))

    async def prune_cancelled(self, before: float) -> int:
        return await self._delete_where(_T.cancelled_at.is_not(None) & (_T.created_at < before))
