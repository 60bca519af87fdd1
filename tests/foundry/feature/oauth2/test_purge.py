"""``purge_tokens`` deletes revoked and expired rows, and keeps live ones."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database import utcnow
from foundry.oauth2.models.oauth_client import OAuthClient
from foundry.oauth2.models.oauth_token import OAuthAccessToken
from foundry.oauth2.purge import purge_tokens
from tests.foundry.feature.oauth2.conftest import MakeClient
from tests.foundry.testbench.models import User


async def test_purge_revoked_and_expired(
    make_client: MakeClient, user: User, session: AsyncSession
) -> None:
    registered = await make_client()
    client_pk = await session.scalar(
        select(OAuthClient.id).where(OAuthClient.client_id == registered.client_id)
    )
    assert client_pk is not None
    now = utcnow()
    for jti, expires, revoked in [
        ("revoked", now + timedelta(minutes=5), now),
        ("expired", now - timedelta(seconds=1), None),
        ("live", now + timedelta(minutes=5), None),
    ]:
        session.add(
            OAuthAccessToken(
                jti=jti,
                client_id=client_pk,
                user_id=user.id,
                expires_at=expires,
                revoked_at=revoked,
            )
        )
    await session.commit()
    assert (await purge_tokens(session, revoked=True, expired=False))["oauth_access_tokens"] == 1
    assert (await purge_tokens(session, revoked=False, expired=True))["oauth_access_tokens"] == 1
    remaining = await session.scalars(select(OAuthAccessToken.jti))
    assert list(remaining) == ["live"]
    assert await session.scalar(select(func.count()).select_from(OAuthAccessToken)) == 1
