"""create_permission_tables

Roles, permissions, their link tables (Spatie's) and teams.
The link tables' ``team_id`` is always there (0 outside teams) so that turning
``PERMISSION_TEAMS`` on needs no migration.

Revision ID: 5a1e0c3d7b21
Revises: fe9910ed6aca
Create Date: 2026-11-22 03:17:51.538342+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5a1e0c3d7b21"
down_revision: str | Sequence[str] | None = "fe9910ed6aca"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "permissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("guard_name", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permissions")),
        sa.UniqueConstraint("name", "guard_name", name=op.f("uq_permissions_name_guard_name")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("guard_name", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint(
            "team_id", "name", "guard_name", name=op.f("uq_roles_team_id_name_guard_name")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("roles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roles_team_id"), ["team_id"], unique=False)

    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "model_has_permissions",
        sa.Column("model_type", sa.String(length=255), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), server_default="0", nullable=False),
        sa.Column("permission_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["permission_id"],
            ["permissions.id"],
            name=op.f("fk_model_has_permissions_permission_id_permissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "model_type",
            "model_id",
            "team_id",
            "permission_id",
            name=op.f("pk_model_has_permissions"),
        ),
    )
    op.create_table(
        "model_has_roles",
        sa.Column("model_type", sa.String(length=255), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), server_default="0", nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_model_has_roles_role_id_roles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "model_type", "model_id", "team_id", "role_id", name=op.f("pk_model_has_roles")
        ),
    )
    op.create_table(
        "role_has_permissions",
        sa.Column("permission_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["permission_id"],
            ["permissions.id"],
            name=op.f("fk_role_has_permissions_permission_id_permissions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["role_id"],
            ["roles.id"],
            name=op.f("fk_role_has_permissions_role_id_roles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("permission_id", "role_id", name=op.f("pk_role_has_permissions")),
    )
    # The primary keys lead with another column: deletes cascading from a role or a permission
    # (and a role's permission list) need these.
    for table, column in (
        ("role_has_permissions", "role_id"),
        ("model_has_roles", "role_id"),
        ("model_has_permissions", "permission_id"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def downgrade() -> None:
    for table, column in (
        ("model_has_permissions", "permission_id"),
        ("model_has_roles", "role_id"),
        ("role_has_permissions", "role_id"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
    op.drop_table("role_has_permissions")
    op.drop_table("model_has_roles")
    op.drop_table("model_has_permissions")
    op.drop_table("teams")
    with op.batch_alter_table("roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roles_team_id"))

    op.drop_table("roles")
    op.drop_table("permissions")
