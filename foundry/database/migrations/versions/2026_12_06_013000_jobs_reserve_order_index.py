"""jobs_reserve_order_index

Index the ``jobs`` table in the order a worker reserves from it: ``queue``, ``priority``
descending, ``id``. The old ``(queue, priority, id)`` index could not serve
``ORDER BY priority DESC, id`` (mixed directions), so every reserve read and sorted the whole
queue; now it reads only the rows it takes.

Revision ID: d9f5a3b2c4e6
Revises: b7d3e1f0a2c4
Create Date: 2026-12-06 01:30:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d9f5a3b2c4e6"
down_revision: str | Sequence[str] | None = "b7d3e1f0a2c4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Replace the queue index with one in reserve order."""
    op.create_index("ix_jobs_queue_next", "jobs", ["queue", sa.text("priority DESC"), "id"])
    op.drop_index("ix_jobs_queue_priority", table_name="jobs")


def downgrade() -> None:
    """Put the old index back."""
    op.create_index("ix_jobs_queue_priority", "jobs", ["queue", "priority", "id"])
    op.drop_index("ix_jobs_queue_next", table_name="jobs")
