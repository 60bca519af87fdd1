"""create_completed_jobs_table

``completed_jobs``: the recently completed jobs of database connections, listed by the queue
dashboard (``foundry.queue.completed``). ``jobs.batch_id`` already has its index
(``ix_jobs_batch_id``, created with the table), so the batch page's lookup needs none here.

Revision ID: f2b8c4d6e0a3
Revises: c8e4f2a1b3d5
Create Date: 2026-12-06 05:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f2b8c4d6e0a3"
down_revision: str | Sequence[str] | None = "c8e4f2a1b3d5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "completed_jobs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("uuid", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("connection", sa.String(length=255), nullable=False),
        sa.Column("queue", sa.String(length=255), nullable=False),
        sa.Column("runtime_ms", sa.Float(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_completed_jobs")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("completed_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_completed_jobs_finished_at", ["finished_at"], unique=False)
        batch_op.create_index(
            "ix_completed_jobs_queue_finished_at", ["queue", "finished_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("completed_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_completed_jobs_queue_finished_at")
        batch_op.drop_index("ix_completed_jobs_finished_at")
    op.drop_table("completed_jobs")
