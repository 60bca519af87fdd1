"""The ``mfa_recovery_codes`` table: a user's single-use recovery codes, stored as keyed hashes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model, TimestampsMixin

__all__ = ["RecoveryCode"]


class RecoveryCode(TimestampsMixin, Model):
    """One recovery code; ``code_hash`` is the hex HMAC-SHA256 of the normalized code under a
    key derived from ``APP_KEY``. ``used_at`` is set when it is spent."""

    __tablename__ = "mfa_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(default=None)
