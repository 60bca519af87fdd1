"""The password grant refuses users with a second factor (or overdue for one): a password alone
must not get around MFA. They sign in through the authorization-code flow, whose sign-in page
asks for the second factor."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.mfa.policy import MfaPolicyService
from foundry.oauth2.password_gate import PasswordGrantGate

__all__ = ["MfaPasswordGrantGate"]


class MfaPasswordGrantGate(PasswordGrantGate):
    """Refuses the password grant to users who must answer, or first enrol, a second factor."""

    def __init__(self, policy: MfaPolicyService) -> None:
        self.policy = policy

    async def refusal(self, session: AsyncSession, user: AuthUser) -> str | None:
        """A description for users with MFA or overdue enrolment, else ``None``."""
        if await self.policy.methods(session, user):
            return "This account uses a second factor: sign in with the authorization code flow."
        if await self.policy.enrolment_overdue(session, user):
            return "This account must set up a second factor before it can sign in."
        return None
