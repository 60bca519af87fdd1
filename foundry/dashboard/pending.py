"""Reading the jobs that wait or run, through each driver's public side.

The ``database`` driver's jobs are rows of the ``jobs`` table (one table for every database
connection); the ``redis`` driver's are rq jobs, read with rq's own API (queues, the started and
scheduled registries). Other back ends (``sync``, ``memory``) keep nothing another process
could see, so the dashboard lists nothing for them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from sqlalchemy import ColumnElement, false, func, or_, select

from foundry.dashboard.listing import JobFilter, JobRow, JobStatus, row_from_payload
from foundry.database.manager import DatabaseManager
from foundry.queue.drivers.database import DatabaseDriver
from foundry.queue.drivers.redis import RedisDriver
from foundry.queue.tables import jobs

__all__ = [
    "database_jobs",
    "find_database_job",
    "find_redis_job",
    "job_status",
    "redis_jobs",
]


def _text_condition(text: str) -> ColumnElement[bool]:
    # A coarse filter in SQL (the payload holds the class path); JobFilter.matches decides.
    needle = text.strip().lower()
    if not needle:
        return ~false()
    return or_(
        func.lower(jobs.c.payload).contains(needle, autoescape=True),
        func.lower(jobs.c.uuid).startswith(needle, autoescape=True),
    )


def job_status(reserved_at: float | None, available_at: float, now: float) -> JobStatus:
    """A ``jobs`` row's status: running (reserved), delayed (not yet available) or pending."""
    if reserved_at is not None:
        return "reserved"
    return "delayed" if available_at > now else "pending"


async def database_jobs(driver: DatabaseDriver, search: JobFilter, limit: int) -> list[JobRow]:
    """Up to ``limit`` jobs of the ``jobs`` table matching ``search``, next to run first."""
    statement = (
        select(jobs)
        .where(_text_condition(search.text))
        .order_by(jobs.c.priority.desc(), jobs.c.id)
        .limit(limit * 4)
    )
    if search.queue:
        statement = statement.where(jobs.c.queue == search.queue)
    async with driver.database.connect() as connection:
        rows = (await connection.execute(statement)).all()
    now = time.time()
    found = [
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
    return [row for row in found if search.matches(row)][:limit]


async def find_database_job(database: DatabaseManager, uuid: str) -> tuple[JobRow, str] | None:
    """The waiting or running job ``uuid`` of the ``jobs`` table and its payload text."""
    async with database.connect() as connection:
        row = (await connection.execute(select(jobs).where(jobs.c.uuid == uuid))).first()
    if row is None:
        return None
    status = job_status(row.reserved_at, row.available_at, time.time())
    return (
        row_from_payload(
            row.uuid,
            row.payload,
            connection="database",
            queue=row.queue,
            status=status,
            attempts=int(row.attempts),
            at=float(row.created_at),
        ),
        row.payload,
    )


def _rq_rows(
    driver: RedisDriver, queues: Sequence[str], search: JobFilter, limit: int
) -> list[JobRow]:
    from rq.job import Job as RqJob
    from rq.registry import ScheduledJobRegistry, StartedJobRegistry
    from rq.serializers import JSONSerializer

    rows: list[JobRow] = []
    for queue in queues:
        for rq_name in driver.rq_names(queue):
            rq_queue = driver.rq_queue(rq_name)
            # Read-only: no registry clean-up (that is the worker's job), ends inclusive.
            started = StartedJobRegistry(queue=rq_queue)
            scheduled = ScheduledJobRegistry(queue=rq_queue)  # type: ignore[no-untyped-call]  # rq
            sources: Sequence[tuple[JobStatus, list[str]]] = (
                ("reserved", started.get_job_ids(0, limit - 1, cleanup=False)),
                ("pending", rq_queue.get_job_ids(0, limit)),
                ("delayed", scheduled.get_job_ids(0, limit - 1, cleanup=False)),
            )
            for status, ids in sources:
                fetched = RqJob.fetch_many(
                    ids, connection=driver.redis(), serializer=JSONSerializer
                )
                for job in fetched:
                    if job is None or not job.args:
                        continue
                    row = _rq_row(driver, job, queue, status)
                    if search.matches(row):
                        rows.append(row)
    return rows[:limit]


def _rq_row(driver: RedisDriver, job: object, queue: str, status: JobStatus) -> JobRow:
    from rq.job import Job as RqJob

    assert isinstance(job, RqJob)
    meta = job.meta or {}
    enqueued = job.enqueued_at or job.created_at
    return row_from_payload(
        str(meta.get("uuid") or job.id),
        str(job.args[0]),
        connection=driver.name,
        queue=queue,
        status=status,
        attempts=int(meta.get("attempts") or 0),
        at=enqueued.timestamp() if enqueued is not None else None,
    )


async def redis_jobs(driver: RedisDriver, search: JobFilter, limit: int) -> list[JobRow]:
    """Up to ``limit`` jobs of the connection's rq queues matching ``search``: running, waiting
    (next first), then scheduled."""
    queues = [search.queue] if search.queue else await driver.queues()
    return await asyncio.to_thread(_rq_rows, driver, queues, search, limit)


def _find_rq(driver: RedisDriver, uuid: str) -> tuple[JobRow, str] | None:
    from rq.exceptions import NoSuchJobError
    from rq.job import Job as RqJob
    from rq.serializers import JSONSerializer

    try:
        job = RqJob.fetch(uuid, connection=driver.redis(), serializer=JSONSerializer)
    except NoSuchJobError:
        return None
    if not job.args:
        return None
    state = getattr(job.get_status(refresh=False), "value", "")
    status: JobStatus = (
        "reserved" if state == "started" else "delayed" if state == "scheduled" else "pending"
    )
    queue = str((job.meta or {}).get("queue") or job.origin)
    return _rq_row(driver, job, queue, status), str(job.args[0])


async def find_redis_job(driver: RedisDriver, uuid: str) -> tuple[JobRow, str] | None:
    """The rq job ``uuid`` of the connection and its payload text."""
    return await asyncio.to_thread(_find_rq, driver, uuid)
