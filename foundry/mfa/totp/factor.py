"""``TotpFactor``: an authenticator app's code as a second factor (``{"code": "123456"}``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.mfa.factors import MfaClient, SecondFactor
from foundry.mfa.totp.service import METHOD, TotpService

__all__ = ["TotpFactor"]


class TotpFactor(SecondFactor):
    """Proved by a current code of the user's confirmed authenticator app, accepted once."""

    name: ClassVar[str] = METHOD
    amr: ClassVar[str] = "otp"

    def __init__(self, totp: TotpService) -> None:
        self.totp = totp

    def _service(self, session: AsyncSession) -> TotpService:
        return self.totp.using(session)

    async def is_enrolled(self, session: AsyncSession, user: AuthUser) -> bool:
        """Whether the user confirmed an authenticator app."""
        return await self._service(session).is_enabled(user)

    async def verify(
        self,
        session: AsyncSession,
        user: AuthUser,
        proof: Mapping[str, Any],
        client: MfaClient,
    ) -> bool:
        """Whether ``proof["code"]`` is a current, unused code; an accepted one is spent."""
        return await self._service(session).verify(user, proof.get("code"))

    async def enrolled_count(self, session: AsyncSession) -> int | None:
        """How many users confirmed an authenticator app, in one query (``artisan mfa:stats``)."""
        return await self._service(session).enrolled_count()

    async def reset(self, session: AsyncSession, user: AuthUser) -> None:
        """Remove the user's authenticator app (support's ``mfa:reset``); the caller commits."""
        await self._service(session).reset(user)
