"""Recovery codes: ten single-use codes a user keeps on paper for when their factors are lost.

Codes carry 50 random bits each (``xxxxx-xxxxx`` in a 32-letter alphabet without look-alikes),
so a keyed fast hash is safe at rest: HMAC-SHA256 under a key derived from ``APP_KEY``, compared
in constant time. They are shown once, when made; making new ones voids the old.

As a :class:`~foundry.mfa.factors.SecondFactor` they are ``fallback_only``: they do not count as
"has MFA" and are not offered for enrolment, but they let a user in instead of another factor.
Their ``amr`` is ``"otp"``: RFC 8176 has no value for recovery codes, and a recovery code is a
one-time password in the plain sense of the words; the audit trail names the precise method.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.config.app import AppSettings
from foundry.config.mfa import MfaSettings
from foundry.database import utcnow
from foundry.events import EventDispatcher
from foundry.kernel.keys import parse_key
from foundry.mfa.events import RecoveryCodeUsed
from foundry.mfa.factors import MfaClient, SecondFactor
from foundry.mfa.models.recovery_code import RecoveryCode

__all__ = ["RecoveryCodeFactor", "RecoveryCodeService"]

# Crockford's base32 alphabet, lower case: no i, l, o, u to misread.
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_HALF = 5


class RecoveryCodeService:
    """Makes, counts and spends a user's recovery codes in the caller's unit of work."""

    def __init__(self, app: AppSettings, settings: MfaSettings) -> None:
        self.settings = settings
        # A key of its own, so the HMACs here can never be confused with another use of APP_KEY.
        self._key = hmac.new(
            parse_key(app.key), b"foundry mfa recovery codes", hashlib.sha256
        ).digest()

    def _hash(self, code: str) -> str:
        return hmac.new(self._key, _normalize(code).encode("utf-8"), hashlib.sha256).hexdigest()

    async def generate(self, session: AsyncSession, user: AuthUser) -> list[str]:
        """New codes for ``user`` (the old ones stop working); flushes, the caller commits.

        The plain codes are returned once and never stored.
        """
        await self.delete(session, user)
        codes = [_new_code() for _ in range(self.settings.recovery_codes)]
        session.add_all(RecoveryCode(user_id=user.id, code_hash=self._hash(c)) for c in codes)
        await session.flush()
        return codes

    async def remaining(self, session: AsyncSession, user: AuthUser) -> int:
        """How many unused codes ``user`` holds."""
        count = await session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        return int(count or 0)

    async def consume(self, session: AsyncSession, user: AuthUser, code: str) -> bool:
        """Spend ``code`` if it is one of ``user``'s unused codes; whether it was."""
        digest = self._hash(code)
        rows = await session.execute(
            select(RecoveryCode.id, RecoveryCode.code_hash).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
        # Every stored hash is compared, in constant time each, so timing tells nothing.
        match = None
        for row_id, stored in rows:
            if hmac.compare_digest(stored, digest):
                match = row_id
        if match is None:
            return False
        # Compare-and-set: of two requests racing with one code, exactly one spends it.
        spent: CursorResult[tuple[()]] = await session.execute(  # type: ignore[assignment]  # DML gives a CursorResult
            update(RecoveryCode)
            .where(RecoveryCode.id == match, RecoveryCode.used_at.is_(None))
            .values(used_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return spent.rowcount == 1

    async def delete(self, session: AsyncSession, user: AuthUser) -> None:
        """Remove every code of ``user``."""
        await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))

    async def holders(self, session: AsyncSession) -> int:
        """How many users hold at least one unused code."""
        count = await session.scalar(
            select(func.count(func.distinct(RecoveryCode.user_id))).where(
                RecoveryCode.used_at.is_(None)
            )
        )
        return int(count or 0)


class RecoveryCodeFactor(SecondFactor):
    """A recovery code as a second factor (``"recovery_code"`` in requests)."""

    name: ClassVar[str] = "recovery_code"
    amr: ClassVar[str] = "otp"
    fallback_only: ClassVar[bool] = True
    accepts_code: ClassVar[bool] = False

    def __init__(self, codes: RecoveryCodeService, events: EventDispatcher) -> None:
        self.codes = codes
        self.events = events

    async def is_enrolled(self, session: AsyncSession, user: AuthUser) -> bool:
        return await self.codes.remaining(session, user) > 0

    async def verify(
        self,
        session: AsyncSession,
        user: AuthUser,
        proof: Mapping[str, Any],
        client: MfaClient,
    ) -> bool:
        code = proof.get("recovery_code", proof.get("code"))
        if not isinstance(code, str) or not 0 < len(code) <= 64:
            return False
        if not await self.codes.consume(session, user, code):
            return False
        remaining = await self.codes.remaining(session, user)
        await self.events.dispatch(RecoveryCodeUsed(user, remaining, client))
        return True

    async def reset(self, session: AsyncSession, user: AuthUser) -> None:
        await self.codes.delete(session, user)

    async def enrolled_count(self, session: AsyncSession) -> int | None:
        return await self.codes.holders(session)


def _new_code() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(2 * _HALF))
    return f"{chars[:_HALF]}-{chars[_HALF:]}"


def _normalize(code: str) -> str:
    # People type codes back with spaces, dashes and capitals; none of them carry entropy.
    return "".join(ch for ch in code.lower() if ch.isalnum())
