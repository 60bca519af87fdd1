"""create_activity_log_table

The activity log (``activity_log``): one row per entry, with indexes for an entry's subject, its
causer, and a log read newest first.

Revision ID: f8b0d2e4a6c7
Revises: e7a9c1d3f5b6
Create Date: 2026-12-06 04:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f8b0d2e4a6c7"
down_revision: str | Sequence[str] | None = "e7a9c1d3f5b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("log_name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("subject_type", sa.String(length=100), nullable=True),
        sa.Column("subject_id", sa.String(length=64), nullable=True),
        sa.Column("causer_type", sa.String(length=100), nullable=True),
        sa.Column("causer_id", sa.String(length=64), nullable=True),
        sa.Column("event", sa.String(length=100), nullable=True),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("batch_uuid", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_log")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("activity_log", schema=None) as batch_op:
        batch_op.create_index(
            "ix_activity_log_subject", ["subject_type", "subject_id"], unique=False
        )
        batch_op.create_index("ix_activity_log_causer", ["causer_type", "causer_id"], unique=False)
        batch_op.create_index(
            "ix_activity_log_log_name_created_at", ["log_name", "created_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("activity_log")
