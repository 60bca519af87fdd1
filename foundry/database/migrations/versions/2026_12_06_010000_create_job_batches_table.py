"""create_job_batches_table

``job_batches``: one row per job batch (``foundry.queue.batching``), its counters, failed job
ids, options (callbacks, connection, queue, allowed failures) and when it was cancelled or
finished.

Revision ID: b7d3e1f0a2c4
Revises: a1f6d5c8e276
Create Date: 2026-12-06 01:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7d3e1f0a2c4"
down_revision: str | Sequence[str] | None = "a1f6d5c8e276"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_batches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("total_jobs", sa.Integer(), nullable=False),
        sa.Column("pending_jobs", sa.Integer(), nullable=False),
        sa.Column("failed_jobs", sa.Integer(), nullable=False),
        sa.Column("failed_job_ids", sa.Text(), nullable=False),
        sa.Column("options", sa.Text(), nullable=True),
        sa.Column("cancelled_at", sa.Float(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("finished_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_batches")),
    )


def downgrade() -> None:
    op.drop_table("job_batches")
