"""Listeners of the MFA battery besides the audit trail."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.mfa.events import MfaEnrolled
from foundry.mfa.recovery_codes import RecoveryCodeService

__all__ = ["GiveRecoveryCodes"]


class GiveRecoveryCodes:
    """When a user enrols their first factor and holds no recovery codes, make them a set.

    The enrolment answer (another factor's endpoint) cannot show them, so the user sees codes by
    making a new set with ``POST /api/v1/auth/mfa/recovery-codes`` after a step-up; until then the
    set made here keeps ``recovery_code`` among their methods.
    """

    def __init__(self, session: AsyncSession, codes: RecoveryCodeService) -> None:
        self.session = session
        self.codes = codes

    async def handle(self, event: MfaEnrolled) -> None:
        """Make the codes if the user has none left."""
        if await self.codes.remaining(self.session, event.user) == 0:
            await self.codes.generate(self.session, event.user)
            await self.session.commit()
