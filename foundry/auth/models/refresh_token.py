"""The ``refresh_tokens`` table: opaque refresh tokens, stored only as SHA-256 hashes.

Tokens from one login form a *family*: each use rotates the token (the used one is marked, a new
one is issued in the same family). Presenting a used token again means it leaked, so the whole
family is revoked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model, TimestampsMixin

__all__ = ["RefreshToken"]


class RefreshToken(TimestampsMixin, Model):
    """One refresh token; ``token_hash`` is the hex SHA-256 of the token the client holds."""

    __tablename__ = "refresh_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[str] = mapped_column(String(32), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    #: How the login was authenticated (JSON: ``amr``, ``acr``, ``auth_time``, ``mfa_at``), copied
    #: to each successor so refreshed access tokens keep it (see ``foundry.auth.login_claims``).
    login_claims: Mapped[str | None] = mapped_column(Text, default=None)
