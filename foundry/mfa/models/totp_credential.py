"""The ``mfa_totp_credentials`` table: one authenticator app per user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model, TimestampsMixin

__all__ = ["TotpCredential"]


class TotpCredential(TimestampsMixin, Model):
    """A user's TOTP secret, encrypted with the app key, and the last time step it accepted.

    The row exists from enrolment on; ``confirmed_at`` is set by the first valid code, and
    only then does the factor count. ``last_used_step`` is the replay guard: a code is accepted
    only for a later step, with a conditional ``UPDATE`` that every process shares.
    """

    __tablename__ = "mfa_totp_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    #: ``Encrypter.encrypt_string`` of the base32 secret (context: the user's id).
    secret: Mapped[str] = mapped_column(String(255))
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_step: Mapped[int | None] = mapped_column(BigInteger, default=None)
