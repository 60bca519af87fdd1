"""create_testbench_users_table

The test application's only migration: the base of its ``app`` branch, which the framework's
migrations depend on (their tables reference ``users.id``). It creates the table from the test
application's ``User`` itself, so the two never drift apart (an application's migrations are
snapshots instead: they must not change when a model does).

Revision ID: b6347da6ffbe
Revises:
Create Date: 2026-11-22 02:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from tests.foundry.testbench.models import User

revision: str = "b6347da6ffbe"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("app",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    User.metadata.tables[User.__tablename__].create(op.get_bind())


def downgrade() -> None:
    User.metadata.tables[User.__tablename__].drop(op.get_bind())
