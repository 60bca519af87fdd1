"""Challenges: handed out with the options, spent by the answer, once, before they expire.

A challenge is stored (as its SHA-256) with its purpose and its user, in the database, so the
answer may reach another worker than the options did. Spending one is a single ``DELETE``
that must remove exactly one live row: of two requests answering the same challenge at the same
time, one removes it and the other finds nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Literal

from sqlalchemy import delete
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database.types import utcnow
from foundry.mfa.models.webauthn_challenge import WebAuthnChallenge

__all__ = ["ChallengeStore", "Purpose"]

#: ``register`` (a new passkey), ``authenticate`` (a second factor), ``login`` (passwordless).
Purpose = Literal["register", "authenticate", "login"]


def _digest(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


class ChallengeStore:
    """Issues and spends the challenges of one session's unit of work."""

    def __init__(self, session: AsyncSession, ttl: int) -> None:
        self.session = session
        self.ttl = ttl

    async def issue(self, purpose: Purpose, user_id: int | None) -> bytes:
        """A fresh 32-byte challenge for ``purpose`` (and ``user_id``), valid ``ttl`` seconds.

        Expired challenges nobody answered are removed on the way, so the table stays small.
        """
        now = utcnow()
        await self.session.execute(
            delete(WebAuthnChallenge).where(WebAuthnChallenge.expires_at <= now)
        )
        challenge = secrets.token_bytes(32)
        self.session.add(
            WebAuthnChallenge(
                challenge_hash=_digest(challenge),
                purpose=purpose,
                user_id=user_id,
                expires_at=now + timedelta(seconds=self.ttl),
            )
        )
        await self.session.flush()
        return challenge

    async def spend(self, challenge: bytes, purpose: Purpose, user_id: int | None) -> bool:
        """Whether ``challenge`` was issued for ``purpose`` and ``user_id``, is still live and
        was not spent before. A live one is spent by this call (once the session commits)."""
        owner = (
            WebAuthnChallenge.user_id.is_(None)
            if user_id is None
            else WebAuthnChallenge.user_id == user_id
        )
        result = await self.session.execute(
            delete(WebAuthnChallenge).where(
                WebAuthnChallenge.challenge_hash == _digest(challenge),
                WebAuthnChallenge.purpose == purpose,
                owner,
                WebAuthnChallenge.expires_at > utcnow(),
            )
        )
        return isinstance(result, CursorResult) and result.rowcount == 1
