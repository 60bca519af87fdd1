"""The ``webauthn_challenges`` table: challenges handed out and not yet answered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model

__all__ = ["WebAuthnChallenge"]


class WebAuthnChallenge(Model):
    """One outstanding challenge, stored as its SHA-256, for one purpose and (but for
    passwordless sign-in) one user.

    In the database rather than in a process's memory: the options and the answer may reach
    different workers. A row is deleted when the answer arrives, so a challenge is used once.
    """

    __tablename__ = "webauthn_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: ``register``, ``authenticate`` (a second factor) or ``login`` (passwordless).
    purpose: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )
    expires_at: Mapped[datetime] = mapped_column(index=True)
