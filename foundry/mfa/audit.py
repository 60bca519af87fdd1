"""The MFA audit trail: ``MfaAuditService`` writes ``mfa_audit_events`` rows, and
:class:`RecordMfaEvent` (listening to every event of :mod:`foundry.mfa.events`) calls it.

Rows never hold a code, a secret or an assertion: the user, the event, the method, the client's
IP and user agent, and for a few events a short detail (a passkey's label, the recovery codes
left, a reset's reason).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.mfa.events import (
    MfaDisabled,
    MfaEnrolled,
    MfaFailed,
    MfaLockedOut,
    MfaReset,
    MfaVerified,
    RecoveryCodeUsed,
)
from foundry.mfa.factors import MfaClient
from foundry.mfa.models.audit_event import MfaAuditEvent

__all__ = ["MFA_EVENTS", "MfaAuditService", "MfaEvent", "RecordMfaEvent"]

MfaEvent = (
    MfaEnrolled | MfaDisabled | MfaVerified | MfaFailed | RecoveryCodeUsed | MfaLockedOut | MfaReset
)

#: Every MFA event class, for listener registration.
MFA_EVENTS: tuple[type[object], ...] = (
    MfaEnrolled,
    MfaDisabled,
    MfaVerified,
    MfaFailed,
    RecoveryCodeUsed,
    MfaLockedOut,
    MfaReset,
)


class MfaAuditService:
    """Writes and reads the audit trail in the given session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        user_id: int,
        event: str,
        *,
        method: str | None = None,
        client: MfaClient | None = None,
        detail: str | None = None,
    ) -> MfaAuditEvent:
        """Store one event and commit it (the trail outlives a later failure of the request)."""
        row = MfaAuditEvent(
            user_id=user_id,
            event=event,
            method=method,
            detail=None if detail is None else detail[:255],
            ip=None if client is None or client.ip is None else client.ip[:45],
            user_agent=(
                None if client is None or client.user_agent is None else client.user_agent[:512]
            ),
        )
        self.session.add(row)
        await self.session.commit()
        return row

    async def record_event(self, event: MfaEvent) -> MfaAuditEvent:
        """Store the row an MFA event stands for."""
        user_id = event.user.id
        match event:
            case MfaEnrolled() | MfaDisabled():
                name = "enrolled" if isinstance(event, MfaEnrolled) else "disabled"
                return await self.record(
                    user_id, name, method=event.method, client=event.client, detail=event.label
                )
            case MfaVerified() | MfaFailed():
                name = "verified" if isinstance(event, MfaVerified) else "failed"
                return await self.record(user_id, name, method=event.method, client=event.client)
            case RecoveryCodeUsed():
                return await self.record(
                    user_id,
                    "recovery_code_used",
                    method="recovery_code",
                    client=event.client,
                    detail=f"{event.remaining} remaining",
                )
            case MfaLockedOut():
                return await self.record(user_id, "locked_out", client=event.client)
            case MfaReset():
                return await self.record(user_id, "reset", detail=event.reason)

    async def for_user(self, user_id: int, limit: int = 50) -> list[MfaAuditEvent]:
        """A user's latest events, newest first."""
        rows = await self.session.scalars(
            select(MfaAuditEvent)
            .where(MfaAuditEvent.user_id == user_id)
            .order_by(MfaAuditEvent.created_at.desc(), MfaAuditEvent.id.desc())
            .limit(limit)
        )
        return list(rows)

    async def since(self, moment: datetime) -> list[MfaAuditEvent]:
        """Every event from ``moment`` on, oldest first."""
        rows = await self.session.scalars(
            select(MfaAuditEvent)
            .where(MfaAuditEvent.created_at >= moment)
            .order_by(MfaAuditEvent.created_at, MfaAuditEvent.id)
        )
        return list(rows)


class RecordMfaEvent:
    """The listener that writes each MFA event to the audit trail."""

    def __init__(self, audit: MfaAuditService) -> None:
        self.audit = audit

    async def handle(self, event: MfaEvent) -> None:
        """Record ``event``."""
        await self.audit.record_event(event)
