"""The ``mfa_sms_credentials`` and ``mfa_sms_codes`` tables: a user's phone and the codes sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model, TimestampsMixin

__all__ = ["SmsCode", "SmsCredential"]


class SmsCredential(TimestampsMixin, Model):
    """The phone a user receives sign-in codes on, in E.164 form as they gave it.

    Not a secret, but personal: it is shown masked (``+4*********89``) and never logged.
    ``confirmed_at`` is set once a code sent to it came back.
    """

    __tablename__ = "mfa_sms_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    phone: Mapped[str] = mapped_column(String(16))
    confirmed_at: Mapped[datetime | None] = mapped_column(default=None)


class SmsCode(Model):
    """One code sent by SMS: kept as an HMAC (app key), short-lived and single use.

    ``purpose`` keeps enrolment codes (``enrol``) and sign-in codes (``verify``) apart; a new
    code of a purpose replaces the user's earlier ones. ``attempts`` counts wrong guesses, so a
    code dies after a few whatever the rate limiter's store.
    """

    __tablename__ = "mfa_sms_codes"
    __table_args__ = (Index("ix_mfa_sms_codes_user_id_purpose", "user_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
