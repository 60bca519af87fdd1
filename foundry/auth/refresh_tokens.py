"""Refresh tokens: opaque, hashed at rest, rotated on every use, revoked by family on reuse.

    issued = await tokens.issue(user.id)                 # at login: a new family
    user_id, issued = await tokens.rotate(presented)     # at refresh: the old one is spent

A token presented after it was used (a replayed or stolen token) revokes every token of its
family -- the whole login -- and is refused, as OAuth 2.0 Security BCP section 4.14 advises.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.models.refresh_token import RefreshToken
from foundry.database import utcnow
from foundry.kernel.errors import AuthenticationError

__all__ = [
    "DEFAULT_REFRESH_TTL",
    "InvalidRefreshTokenError",
    "IssuedRefreshToken",
    "RefreshTokenService",
    "hash_token",
]

DEFAULT_REFRESH_TTL = timedelta(days=14)


class InvalidRefreshTokenError(AuthenticationError):
    """401: unknown, expired, revoked or already used.

    ``revoked_family`` names the login that a reuse ended, so the caller can commit that and
    refuse the family's access tokens too.
    """

    error = "invalid_refresh_token"
    default_message = "The refresh token is invalid or expired."

    def __init__(self, revoked_family: str | None = None) -> None:
        super().__init__()
        self.revoked_family = revoked_family


@dataclass(frozen=True)
class IssuedRefreshToken:
    """The token for the client (shown once), its family and expiry, and how its login was
    authenticated (``login_claims``: ``amr``, ``acr``... or ``None`` when not recorded)."""

    token: str
    family_id: str
    expires_at: datetime
    login_claims: Mapping[str, Any] | None = None

    @property
    def expires_in(self) -> int:
        """Seconds until it expires."""
        return max(int((self.expires_at - utcnow()).total_seconds()), 0)


def hash_token(token: str) -> str:
    """Tokens carry 384 random bits, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class RefreshTokenService:
    """Issues, rotates and revokes refresh tokens in the caller's unit of work (it flushes,
    the caller commits)."""

    def __init__(self, session: AsyncSession, ttl: timedelta = DEFAULT_REFRESH_TTL) -> None:
        self.session = session
        self.ttl = ttl

    async def issue(
        self,
        user_id: int,
        *,
        family_id: str | None = None,
        login_claims: Mapping[str, Any] | None = None,
    ) -> IssuedRefreshToken:
        """A new token for ``user_id``; a new family unless ``family_id`` continues one.

        ``login_claims`` (JSON-able) are kept with it and handed on by :meth:`rotate`.
        """
        token = secrets.token_urlsafe(48)
        family = family_id or secrets.token_hex(16)
        expires_at = utcnow() + self.ttl
        self.session.add(
            RefreshToken(
                user_id=user_id,
                family_id=family,
                token_hash=hash_token(token),
                expires_at=expires_at,
                login_claims=None if login_claims is None else json.dumps(dict(login_claims)),
            )
        )
        await self.session.flush()
        return IssuedRefreshToken(token, family, expires_at, login_claims)

    async def rotate(self, token: str) -> tuple[int, IssuedRefreshToken]:
        """Spend ``token`` and issue its successor; returns the user id and the new token.

        Raises:
            InvalidRefreshTokenError: unknown, expired or revoked; or already used, in which
                case its family is revoked first.
        """
        digest = hash_token(token)
        now = utcnow()
        # Compare-and-set: of two requests racing with one token, exactly one spends it.
        spent: CursorResult[tuple[()]] = await self.session.execute(  # type: ignore[assignment]  # DML gives a CursorResult
            update(RefreshToken)
            .where(
                RefreshToken.token_hash == digest,
                RefreshToken.used_at.is_(None),
                RefreshToken.revoked_at.is_(None),
                RefreshToken.expires_at > now,
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        row = (
            await self.session.execute(
                select(
                    RefreshToken.user_id,
                    RefreshToken.family_id,
                    RefreshToken.used_at,
                    RefreshToken.login_claims,
                ).where(RefreshToken.token_hash == digest)
            )
        ).one_or_none()
        if row is None:
            raise InvalidRefreshTokenError()
        user_id, family_id, used_at, stored_claims = row
        if spent.rowcount != 1:
            if used_at is not None:
                await self.revoke_family(family_id)
                raise InvalidRefreshTokenError(revoked_family=family_id)
            raise InvalidRefreshTokenError()
        claims = None if stored_claims is None else json.loads(stored_claims)
        return user_id, await self.issue(user_id, family_id=family_id, login_claims=claims)

    async def revoke_family(self, family_id: str) -> int:
        """Revoke every live token of a login; returns how many were revoked."""
        return await self._revoke(RefreshToken.family_id == family_id)

    async def revoke_token_family(self, token: str) -> int:
        """Revoke the family ``token`` belongs to (logout); unknown tokens revoke nothing."""
        family = await self.session.scalar(
            select(RefreshToken.family_id).where(RefreshToken.token_hash == hash_token(token))
        )
        return 0 if family is None else await self.revoke_family(family)

    async def live_families(self, user_id: int) -> list[str]:
        """The logins of a user that still hold a usable refresh token."""
        rows = await self.session.scalars(
            select(RefreshToken.family_id)
            .where(
                RefreshToken.user_id == user_id,
                RefreshToken.revoked_at.is_(None),
                RefreshToken.used_at.is_(None),
                RefreshToken.expires_at > utcnow(),
            )
            .distinct()
        )
        return list(rows)

    async def revoke_all_for_user(self, user_id: int, *, except_family: str | None = None) -> int:
        """Revoke every session of a user (logout-all, password change keeps ``except_family``)."""
        condition = RefreshToken.user_id == user_id
        if except_family is not None:
            condition = condition & (RefreshToken.family_id != except_family)
        return await self._revoke(condition)

    async def _revoke(self, condition: ColumnElement[bool]) -> int:
        result: CursorResult[tuple[()]] = await self.session.execute(  # type: ignore[assignment]  # DML gives a CursorResult
            update(RefreshToken)
            .where(condition, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)
