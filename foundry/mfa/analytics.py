"""``MfaAnalyticsService``: adoption per method and failure rates, for ``artisan mfa:stats``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user_provider import UserProvider
from foundry.mfa.models.audit_event import MfaAuditEvent
from foundry.mfa.policy import MfaPolicyService

__all__ = ["Adoption", "FailureRate", "MfaAnalyticsService"]

_BATCH = 500


@dataclass(frozen=True)
class Adoption:
    """How many of ``total`` users enrolled ``method``."""

    method: str
    users: int
    total: int

    @property
    def percent(self) -> float:
        """The share of users, 0-100."""
        return 0.0 if self.total == 0 else 100.0 * self.users / self.total


@dataclass(frozen=True)
class FailureRate:
    """Second-factor answers for ``method`` in a window: accepted and refused."""

    method: str
    verified: int
    failed: int

    @property
    def percent(self) -> float:
        """The share of refused answers, 0-100."""
        attempts = self.verified + self.failed
        return 0.0 if attempts == 0 else 100.0 * self.failed / attempts


class MfaAnalyticsService:
    """Reads the factors (through their ``enrolled_count`` hook) and the audit trail."""

    def __init__(
        self, session: AsyncSession, policy: MfaPolicyService, users: UserProvider
    ) -> None:
        self.session = session
        self.policy = policy
        self.users = users

    async def total_users(self) -> int:
        """How many users there are."""
        count = await self.session.scalar(select(func.count()).select_from(self.users.model))
        return int(count or 0)

    async def adoption(self) -> list[Adoption]:
        """Per registered factor, how many users enrolled it."""
        total = await self.total_users()
        found: list[Adoption] = []
        for factor in self.policy.factors():
            count = await factor.enrolled_count(self.session)
            if count is None:  # no counting hook: ask the factor user by user
                count = 0
                offset = 0
                while True:
                    batch = list(
                        await self.session.scalars(
                            select(self.users.model)
                            .order_by(self.users.model.id)
                            .offset(offset)
                            .limit(_BATCH)
                        )
                    )
                    for user in batch:
                        count += int(await factor.is_enrolled(self.session, user))
                    if len(batch) < _BATCH:
                        break
                    offset += _BATCH
            found.append(Adoption(factor.name, count, total))
        return found

    async def failure_rates(self, since: datetime) -> list[FailureRate]:
        """Per method, second-factor answers accepted and refused since ``since``."""
        rows = await self.session.execute(
            select(MfaAuditEvent.method, MfaAuditEvent.event, func.count())
            .where(
                MfaAuditEvent.created_at >= since,
                MfaAuditEvent.event.in_(("verified", "failed")),
            )
            .group_by(MfaAuditEvent.method, MfaAuditEvent.event)
        )
        counts: dict[str, dict[str, int]] = {}
        for method, event, count in rows:
            counts.setdefault(method or "unknown", {})[event] = int(count)
        return [
            FailureRate(method, found.get("verified", 0), found.get("failed", 0))
            for method, found in sorted(counts.items())
        ]
