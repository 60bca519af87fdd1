"""create_job_metrics_table

The queue's metrics (``job_metrics``: per minute, queue and job class) and its worker registry
(``queue_workers``: one row per live worker), used when the metrics live in the database
(``QUEUE_METRICS_STORE=database``, or ``auto`` without Redis).

Revision ID: c8e4f2a1b3d5
Revises: e1a7b3c5d9f2
Create Date: 2026-12-06 01:10:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c8e4f2a1b3d5"
down_revision: str | Sequence[str] | None = "e1a7b3c5d9f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_metrics",
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("connection", sa.String(length=255), nullable=False),
        sa.Column("queue", sa.String(length=255), nullable=False),
        sa.Column("job", sa.String(length=255), nullable=False),
        sa.Column("bin", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("released", sa.Integer(), nullable=False),
        sa.Column("runtime_count", sa.Integer(), nullable=False),
        sa.Column("runtime_sum", sa.Float(), nullable=False),
        sa.Column("runtime_max", sa.Float(), nullable=False),
        sa.Column("wait_count", sa.Integer(), nullable=False),
        sa.Column("wait_sum", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint(
            "bucket", "connection", "queue", "job", "bin", name=op.f("pk_job_metrics")
        ),
    )
    op.create_table(
        "queue_workers",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("connection", sa.String(length=255), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("queues", sa.Text(), nullable=False),
        sa.Column("current_job", sa.Text(), nullable=True),
        sa.Column("jobs_done", sa.Integer(), nullable=False),
        sa.Column("memory_mb", sa.Float(), nullable=False),
        sa.Column("started_at", sa.Float(), nullable=False),
        sa.Column("heartbeat_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_workers")),
    )


def downgrade() -> None:
    op.drop_table("queue_workers")
    op.drop_table("job_metrics")
