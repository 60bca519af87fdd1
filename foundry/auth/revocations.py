"""The revocation ledger: the ``revoked_tokens`` rows behind the cached denylist.

Three kinds of thing are revoked:

* ``jti``: one access token (logout, OAuth2 token revocation), until the token expires;
* ``sid``: every access token of one login (logout, logout-all, a reused refresh token, a
  revoked OAuth2 client), until the longest access token it could have issued expires;
* ``user``: every browser session (the ``foundry_oauth`` cookie) a user started before the row
  was written (logout-all, a password change or reset), until such a cookie expires.

Rows are written in the caller's unit of work, so they commit (or roll back) with the rest of a
logout; reads take a connection of their own, because the token check runs before any.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.auth.models.revoked_token import RevokedToken
from foundry.database import utcnow

__all__ = [
    "JTI",
    "SESSION",
    "USER_SESSIONS",
    "Revocation",
    "find_revocations",
    "prune_revocations",
    "record_revocation",
    "sessions_ended_at",
]

JTI = "jti"
SESSION = "sid"
USER_SESSIONS = "user"

#: ``(kind, key)``: what one row denies.
Revocation = tuple[str, str]


def record_revocation(
    db: AsyncSession, kind: str, key: str, expires_at: datetime, *, now: datetime | None = None
) -> None:
    """Add the row to ``db``'s unit of work (the caller commits)."""
    db.add(RevokedToken(kind=kind, key=key, revoked_at=now or utcnow(), expires_at=expires_at))


async def find_revocations(
    connection: AsyncConnection, wanted: Iterable[Revocation], now: datetime
) -> dict[Revocation, datetime]:
    """Which of ``wanted`` are revoked, each with when its row may be forgotten."""
    pairs = list(dict.fromkeys(wanted))
    if not pairs:
        return {}
    expires = func.max(RevokedToken.expires_at).label("expires_at")
    rows = await connection.execute(
        select(RevokedToken.kind, RevokedToken.key, expires)
        .where(
            or_(*(and_(RevokedToken.kind == kind, RevokedToken.key == key) for kind, key in pairs)),
            RevokedToken.expires_at > now,
        )
        .group_by(RevokedToken.kind, RevokedToken.key)
    )
    return {(kind, key): _aware(until) for kind, key, until in rows}


async def sessions_ended_at(db: AsyncSession, user_id: int) -> datetime | None:
    """When the user's browser sessions were last ended (``None``: never, or long ago)."""
    ended = await db.scalar(
        select(func.max(RevokedToken.revoked_at)).where(
            RevokedToken.kind == USER_SESSIONS,
            RevokedToken.key == str(user_id),
            RevokedToken.expires_at > utcnow(),
        )
    )
    return None if ended is None else _aware(ended)


async def prune_revocations(db: AsyncSession, now: datetime | None = None) -> int:
    """Delete the rows whose revocation has nothing left to deny; returns how many."""
    result = await db.execute(
        delete(RevokedToken)
        .where(RevokedToken.expires_at <= (now or utcnow()))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _aware(value: object) -> datetime:
    # max() keeps the column's type, but SQLite has no time zones: make sure the value is an
    # aware UTC datetime whatever the driver handed back.
    found = datetime.fromisoformat(value) if isinstance(value, str) else value
    if not isinstance(found, datetime):
        raise TypeError(f"expected a datetime from revoked_tokens, got {type(found).__name__}")
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)
