"""``oauth:purge``: delete revoked and expired OAuth2 rows.

Used codes and rotated refresh tokens are kept until they expire: they are what detects a replay
(deleting one early would turn a replay into an "unknown token" that revokes nothing).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.models.personal_access_token import PersonalAccessToken
from foundry.database import utcnow
from foundry.oauth2.models.oauth_consent import OAuthDeviceCode
from foundry.oauth2.models.oauth_token import (
    OAuthAccessToken,
    OAuthAuthorizationCode,
    OAuthRefreshToken,
)

__all__ = ["purge_tokens"]


async def _delete(session: AsyncSession, statement: Any) -> int:
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


async def purge_tokens(session: AsyncSession, *, revoked: bool, expired: bool) -> dict[str, int]:
    """Delete what was asked for (the caller commits); counts per table."""
    now = utcnow()
    counts = dict.fromkeys(
        [
            "oauth_access_tokens",
            "oauth_refresh_tokens",
            "oauth_authorization_codes",
            "oauth_device_codes",
            "personal_access_tokens",
        ],
        0,
    )
    if revoked:
        counts["oauth_access_tokens"] += await _delete(
            session, delete(OAuthAccessToken).where(OAuthAccessToken.revoked_at.is_not(None))
        )
        counts["oauth_refresh_tokens"] += await _delete(
            session, delete(OAuthRefreshToken).where(OAuthRefreshToken.revoked_at.is_not(None))
        )
        counts["personal_access_tokens"] += await _delete(
            session,
            delete(PersonalAccessToken).where(PersonalAccessToken.revoked_at.is_not(None)),
        )
    if expired:
        counts["oauth_access_tokens"] += await _delete(
            session, delete(OAuthAccessToken).where(OAuthAccessToken.expires_at <= now)
        )
        counts["oauth_refresh_tokens"] += await _delete(
            session, delete(OAuthRefreshToken).where(OAuthRefreshToken.expires_at <= now)
        )
        counts["oauth_authorization_codes"] += await _delete(
            session,
            delete(OAuthAuthorizationCode).where(OAuthAuthorizationCode.expires_at <= now),
        )
        counts["oauth_device_codes"] += await _delete(
            session, delete(OAuthDeviceCode).where(OAuthDeviceCode.expires_at <= now)
        )
        counts["personal_access_tokens"] += await _delete(
            session,
            delete(PersonalAccessToken).where(
                PersonalAccessToken.expires_at.is_not(None), PersonalAccessToken.expires_at <= now
            ),
        )
    return counts
