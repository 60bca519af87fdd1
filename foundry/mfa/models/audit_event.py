"""The ``mfa_audit_events`` table: every enrolment, removal, proof, failure, recovery-code use,
lockout and reset, with who did it from where."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model, utcnow

__all__ = ["MfaAuditEvent"]


class MfaAuditEvent(Model):
    """One audited MFA event (``event``: ``enrolled``, ``disabled``, ``verified``, ``failed``,
    ``recovery_code_used``, ``locked_out``, ``reset``). Never holds a code or a secret."""

    __tablename__ = "mfa_audit_events"
    __table_args__ = (
        Index("ix_mfa_audit_events_user_id_created_at", "user_id", "created_at"),
        Index("ix_mfa_audit_events_event_created_at", "event", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(32))
    method: Mapped[str | None] = mapped_column(String(32), default=None)
    detail: Mapped[str | None] = mapped_column(String(255), default=None)
    ip: Mapped[str | None] = mapped_column(String(45), default=None)
    user_agent: Mapped[str | None] = mapped_column(String(512), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
