"""Password reset tokens (Laravel's password broker): single use, hashed, 60 minutes.

One pending token per email: asking again replaces it (at most once per ``throttle``, so the
endpoint cannot be used to flood a mailbox). The emailed token is never stored; its SHA-256 is.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.authenticatable import normalize_email
from foundry.auth.models.password_reset_token import PasswordResetToken
from foundry.auth.refresh_tokens import hash_token
from foundry.database import utcnow

__all__ = ["PasswordResetBroker"]


class PasswordResetBroker:
    """Creates and consumes reset tokens in the caller's unit of work."""

    def __init__(
        self,
        session: AsyncSession,
        *,
        expires: timedelta = timedelta(minutes=60),
        throttle: timedelta = timedelta(seconds=60),
    ) -> None:
        self.session = session
        self.expires = expires
        self.throttle = throttle

    async def create(self, email: str) -> str | None:
        """A new token for ``email``, or None when one was made less than ``throttle`` ago."""
        email = normalize_email(email)
        existing = await self.session.get(PasswordResetToken, email)
        now = utcnow()
        if existing is not None and now - existing.created_at < self.throttle:
            return None
        token = secrets.token_urlsafe(32)
        if existing is None:
            self.session.add(
                PasswordResetToken(email=email, token_hash=hash_token(token), created_at=now)
            )
        else:
            existing.token_hash, existing.created_at = hash_token(token), now
        await self.session.flush()
        return token

    async def consume(self, email: str, token: str) -> bool:
        """Whether ``token`` is the live token of ``email``; a match is deleted (single use)."""
        email = normalize_email(email)
        row = (
            await self.session.execute(
                select(PasswordResetToken.token_hash, PasswordResetToken.created_at).where(
                    PasswordResetToken.email == email
                )
            )
        ).one_or_none()
        if row is None:
            return False
        matches = hmac.compare_digest(row.token_hash, hash_token(token))
        expired = utcnow() - row.created_at > self.expires
        if matches or expired:
            await self.session.execute(
                delete(PasswordResetToken).where(PasswordResetToken.email == email)
            )
        return matches and not expired
