"""A test-only second factor: a fixed code per user, kept in memory by the test."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.mfa.factors import MfaClient, SecondFactor

__all__ = ["CODES", "CodeFactor"]

#: user id -> the code that proves the factor (present: enrolled).
CODES: dict[int, str] = {}


class CodeFactor(SecondFactor):
    """Enrolled when the test put a code in :data:`CODES`; each code proves once."""

    name: ClassVar[str] = "test_code"
    amr: ClassVar[str] = "otp"

    async def is_enrolled(self, session: AsyncSession, user: AuthUser) -> bool:
        return user.id in CODES

    async def challenge(
        self, session: AsyncSession, user: AuthUser, client: MfaClient
    ) -> Mapping[str, Any] | None:
        return {"sent": True}

    async def verify(
        self, session: AsyncSession, user: AuthUser, proof: Mapping[str, Any], client: MfaClient
    ) -> bool:
        expected = CODES.get(user.id)
        if expected is None or proof.get("code") != expected:
            return False
        CODES[user.id] = expected + "-used"  # single use, like a real factor
        return True

    async def reset(self, session: AsyncSession, user: AuthUser) -> None:
        CODES.pop(user.id, None)
