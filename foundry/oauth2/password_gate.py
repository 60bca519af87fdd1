"""Who may get tokens through the password grant (``grant_type=password``) once the password is
right.

The password grant proves a password and nothing more. The OAuth2 layer cannot know about second
factors (the MFA battery stands above it), so it asks this gate, which lets everyone through;
the MFA battery binds its own (:class:`foundry.mfa.password_gate.MfaPasswordGrantGate`) that
refuses users with a second factor, who sign in through the authorization-code flow instead.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser

__all__ = ["PasswordGrantGate"]


class PasswordGrantGate:
    """Lets every user with the right password through (no second factors known here)."""

    async def refusal(self, session: AsyncSession, user: AuthUser) -> str | None:
        """Why ``user``, whose password was right, gets no token (an ``invalid_grant``
        description), or ``None`` to issue it."""
        return None
