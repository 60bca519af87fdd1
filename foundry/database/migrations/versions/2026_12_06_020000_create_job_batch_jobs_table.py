"""create_job_batch_jobs_table

``job_batch_jobs``: the members of each batch whose outcome was counted, so a member delivered
again after a worker crash is not counted twice (``foundry.queue.batching``).

Revision ID: e1a7b3c5d9f2
Revises: d9f5a3b2c4e6
Create Date: 2026-12-06 02:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1a7b3c5d9f2"
down_revision: str | Sequence[str] | None = "d9f5a3b2c4e6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_batch_jobs",
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("job_uuid", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", "job_uuid", name=op.f("pk_job_batch_jobs")),
    )


def downgrade() -> None:
    op.drop_table("job_batch_jobs")
