"""The queue's own tables, ``jobs``, ``failed_jobs``, ``job_batches``, ``job_batch_jobs``,
``job_metrics``, ``queue_workers`` and ``completed_jobs`` (SQLAlchemy Core, no app model).

Times are Unix seconds as floats, like Laravel's integer columns but finer, so a short
``retry_after`` in tests behaves. ``batch_id`` is ready for batches; ``priority`` orders jobs
within a queue (higher first).

They are on ``Base.metadata`` with the models, so ``make:migration --autogenerate`` compares
them like every other table (on a ``MetaData`` of their own it used to propose dropping them).
Their ids use ``AUTOINCREMENT`` on SQLite: a failed job's id is what ``queue:retry`` takes, and a
deleted one must never name another.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from foundry.database.base import Base

__all__ = [
    "completed_jobs",
    "failed_jobs",
    "job_batch_jobs",
    "job_batches",
    "job_metrics",
    "jobs",
    "queue_metadata",
    "queue_workers",
]

#: The metadata holding the queue's tables: ``Base.metadata`` (kept under this name for code
#: that imported it).
queue_metadata: MetaData = Base.metadata

jobs = Table(
    "jobs",
    queue_metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("queue", String(255), nullable=False),
    Column("payload", Text, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("priority", Integer, nullable=False, default=0),
    Column("reserved_at", Float, nullable=True),
    Column("available_at", Float, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("batch_id", String(36), nullable=True),
    # Declared as the migration creates them, so autogenerate proposes nothing for them.
    Index("ix_jobs_batch_id", "batch_id"),
    sqlite_autoincrement=True,
)
# A worker's reserve reads a queue's jobs in exactly this order (highest priority first, then
# oldest) and stops after a few: with the index it reads those few, not the whole queue.
Index("ix_jobs_queue_next", jobs.c.queue, jobs.c.priority.desc(), jobs.c.id)

failed_jobs = Table(
    "failed_jobs",
    queue_metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True),
    Column("connection", String(255), nullable=False),
    Column("queue", String(255), nullable=False),
    Column("payload", Text, nullable=False),
    Column("exception", Text, nullable=False),
    Column("failed_at", Float, nullable=False),
    sqlite_autoincrement=True,
)

#: One row per batch (``foundry.queue.batching``). ``pending_jobs`` counts jobs that have not
#: succeeded yet (a failed job stays pending until a retry succeeds, as in Laravel);
#: ``failed_job_ids`` is a JSON array of job uuids and ``options`` a JSON object (callbacks,
#: connection, queue, allowed failures).
job_batches = Table(
    "job_batches",
    queue_metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("total_jobs", Integer, nullable=False),
    Column("pending_jobs", Integer, nullable=False),
    Column("failed_jobs", Integer, nullable=False),
    Column("failed_job_ids", Text, nullable=False),
    Column("options", Text, nullable=True),
    Column("cancelled_at", Float, nullable=True),
    Column("created_at", Float, nullable=False),
    Column("finished_at", Float, nullable=True),
)

#: One row per member of a batch whose outcome was counted: ``outcome`` is ``succeeded`` or
#: ``failed``. A member delivered again after a worker crash (at least once) finds its row and
#: is not counted twice; a failed member that succeeds on retry moves to ``succeeded`` once.
job_batch_jobs = Table(
    "job_batch_jobs",
    queue_metadata,
    Column("batch_id", String(36), nullable=False),
    Column("job_uuid", String(64), nullable=False),
    Column("outcome", String(16), nullable=False),
    PrimaryKeyConstraint("batch_id", "job_uuid"),
)

#: Job metrics per minute (``bucket``: the minute's Unix start), connection, queue and job class,
#: written by workers in one upsert per flush (:mod:`foundry.queue.metrics`). The row with
#: ``bin = -1`` holds the totals; rows with ``bin >= 0`` count the runs whose runtime fell in that
#: histogram bin (sparse: only bins that were hit), so workers only ever add to a row.
job_metrics = Table(
    "job_metrics",
    queue_metadata,
    Column("bucket", BigInteger, nullable=False),
    Column("connection", String(255), nullable=False),
    Column("queue", String(255), nullable=False),
    Column("job", String(255), nullable=False),
    Column("bin", Integer, nullable=False),
    Column("processed", Integer, nullable=False, default=0),
    Column("failed", Integer, nullable=False, default=0),
    Column("released", Integer, nullable=False, default=0),
    Column("runtime_count", Integer, nullable=False, default=0),
    Column("runtime_sum", Float, nullable=False, default=0.0),
    Column("runtime_max", Float, nullable=False, default=0.0),
    Column("wait_count", Integer, nullable=False, default=0),
    Column("wait_sum", Float, nullable=False, default=0.0),
    PrimaryKeyConstraint("bucket", "connection", "queue", "job", "bin"),
)

#: Live queue workers (database metrics store): one row per worker, rewritten at each
#: heartbeat and deleted on a clean exit; a row whose heartbeat is old is a dead worker.
queue_workers = Table(
    "queue_workers",
    queue_metadata,
    Column("id", String(100), primary_key=True),
    Column("name", String(255), nullable=False),
    Column("connection", String(255), nullable=False),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("queues", Text, nullable=False),
    Column("current_job", Text, nullable=True),
    Column("jobs_done", Integer, nullable=False, default=0),
    Column("memory_mb", Float, nullable=False, default=0.0),
    Column("started_at", Float, nullable=False),
    Column("heartbeat_at", Float, nullable=False),
)

#: Recently completed jobs of database connections (:mod:`foundry.queue.completed`): what the
#: dashboard's Completed tab lists, never the payload. Trimmed on every write to
#: ``QUEUE_COMPLETED_RETENTION_MINUTES`` and ``QUEUE_COMPLETED_MAX`` rows.
completed_jobs = Table(
    "completed_jobs",
    queue_metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("uuid", String(64), nullable=False),
    Column("name", String(255), nullable=False),
    Column("connection", String(255), nullable=False),
    Column("queue", String(255), nullable=False),
    Column("runtime_ms", Float, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("finished_at", Float, nullable=False),
    # Newest first, over all queues (the tab, the trim) or one queue (its filter).
    Index("ix_completed_jobs_finished_at", "finished_at"),
    Index("ix_completed_jobs_queue_finished_at", "queue", "finished_at"),
    sqlite_autoincrement=True,
)
