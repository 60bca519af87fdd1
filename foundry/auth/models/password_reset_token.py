"""The ``password_reset_tokens`` table: one pending reset per email, stored as a hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model

__all__ = ["PasswordResetToken"]


class PasswordResetToken(Model):
    """A pending reset: the hex SHA-256 of the emailed token and when it was made."""

    __tablename__ = "password_reset_tokens"

    email: Mapped[str] = mapped_column(String(255), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
