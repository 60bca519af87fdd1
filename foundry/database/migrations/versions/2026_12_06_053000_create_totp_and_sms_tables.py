"""create_mfa_code_tables

The second factors that work with codes: ``mfa_totp_credentials`` (an authenticator app's
secret, encrypted, and the last time step accepted), ``mfa_sms_credentials`` (the phone codes
go to) and ``mfa_sms_codes`` (the codes sent, as HMACs).

Revision ID: c5e7a9b1d3f4
Revises: b4d6f8a0c2e3
Create Date: 2026-12-06 04:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5e7a9b1d3f4"
down_revision: str | Sequence[str] | None = "b4d6f8a0c2e3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mfa_totp_credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=255), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_step", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_mfa_totp_credentials_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mfa_totp_credentials")),
        sa.UniqueConstraint("user_id", name=op.f("uq_mfa_totp_credentials_user_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "mfa_sms_credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_mfa_sms_credentials_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mfa_sms_credentials")),
        sa.UniqueConstraint("user_id", name=op.f("uq_mfa_sms_credentials_user_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "mfa_sms_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_mfa_sms_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mfa_sms_codes")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("mfa_sms_codes", schema=None) as batch_op:
        batch_op.create_index("ix_mfa_sms_codes_user_id_purpose", ["user_id", "purpose"])


def downgrade() -> None:
    with op.batch_alter_table("mfa_sms_codes", schema=None) as batch_op:
        batch_op.drop_index("ix_mfa_sms_codes_user_id_purpose")

    op.drop_table("mfa_sms_codes")
    op.drop_table("mfa_sms_credentials")
    op.drop_table("mfa_totp_credentials")
