"""sqlite_autoincrement_ids

On SQLite, give the framework's integer ids ``AUTOINCREMENT``, so the id of a deleted row (a
token, a client, a failed job that ``queue:retry`` names) is never handed out again. Tables
created by earlier releases are rebuilt in batch mode, rows and ids kept; tables that already
have it (new databases: the create migrations ask for it now) are left alone. PostgreSQL's
sequences never go back: nothing to do there.

Revision ID: a1f6d5c8e276
Revises: 9e5c4a7b1f65
Create Date: 2026-12-05 23:30:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1f6d5c8e276"
down_revision: str | Sequence[str] | None = "9e5c4a7b1f65"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "refresh_tokens",
    "permissions",
    "roles",
    "teams",
    "oauth_clients",
    "personal_access_tokens",
    "oauth_access_tokens",
    "oauth_authorization_codes",
    "oauth_consents",
    "oauth_device_codes",
    "oauth_refresh_tokens",
    "jobs",
    "failed_jobs",
    "revoked_tokens",
)


def without_autoincrement(connection: sa.Connection, tables: Sequence[str]) -> list[str]:
    """Those of ``tables`` whose ``CREATE TABLE`` lacks ``AUTOINCREMENT``."""
    found = connection.execute(
        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    ).all()
    created = {name: sql or "" for name, sql in found}
    return [
        name for name in tables if name in created and "AUTOINCREMENT" not in created[name].upper()
    ]


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    for table in without_autoincrement(connection, TABLES):
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    # Kept: AUTOINCREMENT changes nothing the previous release relies on, and taking it away
    # would let ids be reused again.
    pass
