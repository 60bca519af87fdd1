"""Metrics in the database: ``job_metrics`` (one additive upsert per flush) and ``queue_workers``.

Workers only ever add to a row (``processed = processed + excluded.processed``), so many workers
flush the same minute concurrently without reading first; the histogram is stored sparsely as
one row per bin that was hit (``bin >= 0``) next to the totals row (``bin = -1``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Insert, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from foundry.database.manager import DatabaseManager
from foundry.queue.metrics.store import GONE_KEPT, MetricsStore, WorkerInfo
from foundry.queue.metrics.tally import SeriesKey, Tally
from foundry.queue.tables import job_metrics, queue_workers

__all__ = ["DatabaseMetricsStore"]

#: Rows per statement: SQLite caps bound parameters (32766; 13 columns a row).
_CHUNK = 1000
_TOTALS = -1
_SUMMED = (
    "processed",
    "failed",
    "released",
    "runtime_count",
    "runtime_sum",
    "wait_count",
    "wait_sum",
)


def _rows(key: SeriesKey, tally: Tally) -> list[dict[str, Any]]:
    base = {"bucket": key.bucket, "connection": key.connection, "queue": key.queue, "job": key.job}
    zero = {name: 0 for name in _SUMMED} | {"runtime_max": 0.0}
    rows = [
        base
        | {"bin": _TOTALS}
        | {name: getattr(tally, name) for name in _SUMMED}
        | {"runtime_max": tally.runtime_max}
    ]
    for index, count in tally.bins.items():
        rows.append(base | zero | {"bin": index, "runtime_count": count})
    return rows


class DatabaseMetricsStore(MetricsStore):
    """Tallies and workers in the app's database (the queue's tables)."""

    def __init__(self, database: DatabaseManager, retention: float, *, owned: bool = False) -> None:
        """``owned``: the database manager is this store's own, disposed by :meth:`aclose`."""
        super().__init__(retention)
        self.database = database
        self._owned = owned

    def _insert(self, table: Any) -> Insert:
        dialect = self.database.engine.dialect.name
        if dialect == "postgresql":
            return postgresql.insert(table)
        if dialect == "sqlite":
            return sqlite.insert(table)
        raise RuntimeError(f"queue metrics need PostgreSQL or SQLite, not {dialect}")

    async def add(self, tallies: Mapping[SeriesKey, Tally]) -> None:
        rows = [row for key, tally in tallies.items() for row in _rows(key, tally)]
        if not rows:
            return
        statement: Any = self._insert(job_metrics)
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=["bucket", "connection", "queue", "job", "bin"],
            set_={name: job_metrics.c[name] + excluded[name] for name in _SUMMED}
            | {
                "runtime_max": case(
                    (excluded.runtime_max > job_metrics.c.runtime_max, excluded.runtime_max),
                    else_=job_metrics.c.runtime_max,
                )
            },
        )
        async with self.database.begin() as connection:
            for start in range(0, len(rows), _CHUNK):
                await connection.execute(statement.values(rows[start : start + _CHUNK]))

    async def read(self, since: int, until: int) -> dict[SeriesKey, Tally]:
        statement = select(job_metrics).where(
            job_metrics.c.bucket >= since, job_metrics.c.bucket <= until
        )
        async with self.database.connect() as connection:
            rows = (await connection.execute(statement)).mappings().all()
        found: dict[SeriesKey, Tally] = {}
        for row in rows:
            key = SeriesKey(int(row["bucket"]), row["connection"], row["queue"], row["job"])
            tally = found.setdefault(key, Tally())
            if row["bin"] >= 0:
                tally.bins[int(row["bin"])] = int(row["runtime_count"])
                continue
            for name in _SUMMED:
                setattr(tally, name, row[name])
            tally.runtime_max = float(row["runtime_max"])
        return found

    async def prune(self, now: float) -> int:
        async with self.database.begin() as connection:
            metrics = await connection.execute(
                delete(job_metrics).where(job_metrics.c.bucket < now - self.retention)
            )
            workers = await connection.execute(
                delete(queue_workers).where(queue_workers.c.heartbeat_at < now - GONE_KEPT)
            )
        return int(metrics.rowcount or 0) + int(workers.rowcount or 0)

    async def beat(self, worker: WorkerInfo) -> None:
        values = worker.to_dict()
        values["queues"] = json.dumps(values["queues"])
        statement: Any = self._insert(queue_workers).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=["id"], set_={k: v for k, v in values.items() if k != "id"}
        )
        async with self.database.begin() as connection:
            await connection.execute(statement)

    async def forget_worker(self, worker_id: str) -> None:
        async with self.database.begin() as connection:
            await connection.execute(delete(queue_workers).where(queue_workers.c.id == worker_id))

    async def workers(self, now: float) -> list[WorkerInfo]:
        statement = (
            select(queue_workers)
            .where(queue_workers.c.heartbeat_at >= now - GONE_KEPT)
            .order_by(queue_workers.c.name, queue_workers.c.id)
        )
        async with self.database.connect() as connection:
            rows = (await connection.execute(statement)).mappings().all()
        return [WorkerInfo.from_dict({**row, "queues": json.loads(row["queues"])}) for row in rows]

    async def aclose(self) -> None:
        if self._owned:
            await self.database.dispose()
