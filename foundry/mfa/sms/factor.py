"""``SmsFactor``: a code texted to the user's phone as a second factor (``{"code": "123456"}``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.mfa.factors import MfaClient, SecondFactor
from foundry.mfa.sms.service import METHOD, SmsService

__all__ = ["SmsFactor"]


class SmsFactor(SecondFactor):
    """:meth:`challenge` texts a six-digit code; :meth:`verify` spends it (five minutes, once)."""

    name: ClassVar[str] = METHOD
    amr: ClassVar[str] = "sms"

    def __init__(self, sms: SmsService) -> None:
        self.sms = sms

    async def is_enrolled(self, session: AsyncSession, user: AuthUser) -> bool:
        """Whether the user confirmed a phone."""
        return await self.sms.using(session).is_enabled(user)

    async def challenge(
        self, session: AsyncSession, user: AuthUser, client: MfaClient
    ) -> Mapping[str, Any] | None:
        """Text a code; answers ``{"sent_to": "+4*********89", "expires_in": 300}``.

        Raises:
            TooManyRequestsError: too many codes sent to the user or to that number.
            SmsNotSentError: the SMS provider failed (503).
        """
        sent = await self.sms.using(session).challenge(user)
        return None if sent is None else sent.to_dict()

    async def verify(
        self,
        session: AsyncSession,
        user: AuthUser,
        proof: Mapping[str, Any],
        client: MfaClient,
    ) -> bool:
        """Whether ``proof["code"]`` is the live code last texted; an accepted one is spent."""
        return await self.sms.using(session).verify(user, proof.get("code"))

    async def enrolled_count(self, session: AsyncSession) -> int | None:
        """How many users confirmed a phone, in one query (``artisan mfa:stats``)."""
        return await self.sms.using(session).enrolled_count()

    async def reset(self, session: AsyncSession, user: AuthUser) -> None:
        """Remove the user's phone and codes (support's ``mfa:reset``); the caller commits."""
        await self.sms.using(session).reset(user)
