"""``MfaPolicyService``: which factors are offered, which a user enrolled, who must enrol.

The rules (``config/mfa.py``):

* a user *has MFA* when they enrolled any allowed factor that is not ``fallback_only``
  (recovery codes alone do not count); login then asks for a second factor;
* a user *must enrol* when they hold one of ``MFA_REQUIRED_ROLES``; after ``MFA_GRACE_DAYS``
  from the account's creation, such a user without a factor only gets an enrolment token;
* step-up (``require_mfa``) applies to users who have MFA: others keep working as before.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.config.mfa import MfaSettings
from foundry.kernel.container import Container
from foundry.mfa.clock import MfaClock
from foundry.mfa.factors import SecondFactor, SecondFactorRegistry, UnknownFactorError

__all__ = ["MfaPolicyService"]


class MfaPolicyService:
    """Built in the current scope: the factors it builds get that scope's services."""

    def __init__(
        self,
        registry: SecondFactorRegistry,
        settings: MfaSettings,
        container: Container,
        clock: MfaClock,
    ) -> None:
        self.registry = registry
        self.settings = settings
        self.container = container
        self.clock = clock

    def allowed(self) -> list[type[SecondFactor]]:
        """The registered factors ``MFA_METHODS`` allows (fallbacks always), in registry order."""
        only = set(self.settings.methods)
        return [
            factor
            for factor in self.registry.all()
            if factor.fallback_only or not only or factor.name in only
        ]

    def enrollable(self) -> list[str]:
        """The names of the factors a user may enrol (no fallbacks)."""
        return [factor.name for factor in self.allowed() if not factor.fallback_only]

    def factor(self, name: str) -> SecondFactor:
        """The allowed factor ``name``, built in this scope.

        Raises:
            UnknownFactorError: no allowed factor of that name.
        """
        for factor in self.allowed():
            if factor.name == name:
                return self.container.make(factor)
        raise UnknownFactorError(f"no second factor named {name!r}")

    def factors(self) -> list[SecondFactor]:
        """Every allowed factor, built in this scope."""
        return [self.container.make(factor) for factor in self.allowed()]

    async def enrolled(self, session: AsyncSession, user: AuthUser) -> list[SecondFactor]:
        """The allowed factors ``user`` enrolled, fallbacks included, in registry order."""
        return [f for f in self.factors() if await f.is_enrolled(session, user)]

    async def methods(self, session: AsyncSession, user: AuthUser) -> list[str]:
        """The names of the factors ``user`` may answer a second-factor request with.

        Empty when the user has no real factor (recovery codes alone ask for nothing).
        """
        enrolled = await self.enrolled(session, user)
        if not any(not factor.fallback_only for factor in enrolled):
            return []
        return [factor.name for factor in enrolled]

    async def has_mfa(self, session: AsyncSession, user: AuthUser) -> bool:
        """Whether ``user`` enrolled a real (not fallback-only) allowed factor."""
        for factor in self.factors():
            if not factor.fallback_only and await factor.is_enrolled(session, user):
                return True
        return False

    async def must_enrol(self, session: AsyncSession, user: AuthUser) -> bool:
        """Whether ``user`` holds a role that must use MFA."""
        if not self.settings.required_roles:
            return False
        await user.load_permissions(session)
        return user.has_any_role(self.settings.required_roles)

    def enrolment_deadline(self, user: AuthUser) -> datetime:
        """When the grace period of a user who must enrol ends."""
        created = user.created_at or datetime.now(UTC)
        return created + timedelta(days=self.settings.grace_days)

    async def enrolment_overdue(self, session: AsyncSession, user: AuthUser) -> bool:
        """Whether ``user`` must enrol, has not, and the grace period is over."""
        if not await self.must_enrol(session, user) or await self.has_mfa(session, user):
            return False
        now = datetime.fromtimestamp(self.clock.now(), UTC)
        return now >= self.enrolment_deadline(user)
