"""``SmsCodes``: the six-digit codes texted to users, kept as HMACs and spent once."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Final

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.database import utcnow
from foundry.kernel.encryption import Encrypter
from foundry.mfa.attempts import changed_rows, updated_one
from foundry.mfa.models.sms_credential import SmsCode

__all__ = ["SmsCodes"]

_CODE: Final = re.compile(r"[0-9]{6}")


class SmsCodes:
    """Issues and spends codes in ``session``; the caller commits.

    A code's row holds its HMAC (keyed by the app key, over the user, the purpose and the
    code), so the table gives away no code. One code per user and purpose is live at a time.
    """

    def __init__(
        self, session: AsyncSession, encrypter: Encrypter, *, ttl: timedelta, max_attempts: int
    ) -> None:
        """Create the store.

        Args:
            session: where the rows are written.
            encrypter: computes the HMACs.
            ttl: how long a code is good.
            max_attempts: wrong guesses a code survives.
        """
        self.session = session
        self.encrypter = encrypter
        self.ttl = ttl
        self.max_attempts = max_attempts

    async def issue(self, user: AuthUser, phone: str, purpose: str) -> str:
        """A new random code for ``purpose``, sent to ``phone``; replaces the user's earlier one."""
        code = f"{secrets.randbelow(10**6):06d}"
        now = utcnow()
        await changed_rows(
            self.session,
            delete(SmsCode).where(SmsCode.user_id == user.id, SmsCode.purpose == purpose),
        )
        self.session.add(
            SmsCode(
                user_id=user.id,
                purpose=purpose,
                phone=phone,
                code_hash=self.encrypter.mac(_payload(user, purpose, code)),
                attempts=0,
                expires_at=now + self.ttl,
                created_at=now,
            )
        )
        return code

    async def spend(self, user: AuthUser, purpose: str, phone: str, code: object) -> bool:
        """Whether ``code`` is the live code of ``purpose`` sent to ``phone``; spends it.

        A wrong guess counts against the live code, which dies after ``max_attempts``.
        """
        if not isinstance(code, str) or _CODE.fullmatch(code) is None:
            return False
        now = utcnow()
        row: SmsCode | None = await self.session.scalar(
            select(SmsCode)
            .where(
                SmsCode.user_id == user.id,
                SmsCode.purpose == purpose,
                SmsCode.phone == phone,
                SmsCode.used_at.is_(None),
                SmsCode.expires_at > now,
                SmsCode.attempts < self.max_attempts,
            )
            .order_by(SmsCode.id.desc())
            .limit(1)
        )
        if row is None:
            return False
        if not self.encrypter.verify_mac(_payload(user, purpose, code), row.code_hash):
            await changed_rows(
                self.session,
                update(SmsCode).where(SmsCode.id == row.id).values(attempts=SmsCode.attempts + 1),
            )
            return False
        # Compare-and-set: of two requests racing with the same code, one spends it.
        return await updated_one(
            self.session,
            update(SmsCode)
            .where(
                SmsCode.id == row.id,
                SmsCode.used_at.is_(None),
                SmsCode.attempts < self.max_attempts,
            )
            .values(used_at=now),
        )

    async def forget(self, user: AuthUser) -> None:
        """Delete every code of the user."""
        await changed_rows(self.session, delete(SmsCode).where(SmsCode.user_id == user.id))


def _payload(user: AuthUser, purpose: str, code: str) -> bytes:
    # The user and purpose are in the MAC: a code's hash means nothing on another row.
    return f"mfa_sms:{user.id}:{purpose}:{code}".encode()
