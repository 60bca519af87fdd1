"""``HasMfa``: a user model's view of its second factors (``await user.mfa_methods()``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.kernel.container import current_container

if TYPE_CHECKING:
    from foundry.auth.user import AuthUser
    from foundry.mfa.policy import MfaPolicyService

__all__ = ["HasMfa"]


def _scope(session: AsyncSession | None) -> tuple[MfaPolicyService, AsyncSession]:
    from foundry.mfa.policy import MfaPolicyService

    container = current_container()
    return container.make(MfaPolicyService), session or container.make(AsyncSession)


class HasMfa:
    """Mixed into the app's ``User``: asks the registered factors about this user.

    Without ``session``, the running request's (or job's, or command's) session is used.
    """

    def _mfa_user(self) -> AuthUser:
        from foundry.auth.user import AuthUser

        assert isinstance(self, AuthUser), "HasMfa is for user models"
        return self

    async def mfa_methods(self, session: AsyncSession | None = None) -> list[str]:
        """The factors this user may answer a second-factor request with (empty: no MFA)."""
        policy, db = _scope(session)
        return await policy.methods(db, self._mfa_user())

    async def has_mfa(self, session: AsyncSession | None = None) -> bool:
        """Whether this user enrolled a real second factor (recovery codes alone do not count)."""
        policy, db = _scope(session)
        return await policy.has_mfa(db, self._mfa_user())

    async def must_enrol_mfa(self, session: AsyncSession | None = None) -> bool:
        """Whether this user's roles require a second factor (``MFA_REQUIRED_ROLES``)."""
        policy, db = _scope(session)
        return await policy.must_enrol(db, self._mfa_user())
