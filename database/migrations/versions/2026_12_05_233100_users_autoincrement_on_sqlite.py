"""users_autoincrement_on_sqlite

On SQLite, rebuild ``users`` with ``AUTOINCREMENT`` when an earlier release created it without,
so a deleted user's id is never given to a new user (tokens and queued jobs name users by id).
Rows and ids are kept; new databases already have it. Nothing to do on PostgreSQL.

Revision ID: 4d2b7e9a1c05
Revises: 328feaafa3c8
Create Date: 2026-12-05 23:31:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d2b7e9a1c05"
down_revision: str | Sequence[str] | None = "328feaafa3c8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    created = connection.scalar(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'")
    )
    if created is not None and "AUTOINCREMENT" not in created.upper():
        with op.batch_alter_table(
            "users", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    # Kept: AUTOINCREMENT changes nothing the previous release relies on, and taking it away
    # would let ids be reused again.
    pass
