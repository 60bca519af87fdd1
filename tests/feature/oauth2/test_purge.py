"""``purge_tokens`` deletes revoked and expired rows, and keeps what detects replays."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.oauth_token import OAuthAccessToken
from app.oauth2.purge import purge_tokens
from app.support.database import utcnow
from tests.feature.oauth2.conftest import BASE, MakeClient, oauth_client


async def test_purge_revoked_and_expired(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, session: AsyncSession
) -> None:
    registered = await make_client(grants=["client_credentials"])
    async with oauth_client(http_app, registered) as client:
        tokens = [
            await client.fetch_token(f"{BASE}/oauth/token", grant_type="client_credentials")
            for _ in range(3)
        ]
    await http.post(
        "/oauth/revoke",
        data={"token": tokens[0]["access_token"]},
        auth=(registered.client_id, registered.secret or ""),
    )
    jtis = list(await session.scalars(select(OAuthAccessToken.jti).order_by(OAuthAccessToken.id)))
    await session.execute(
        update(OAuthAccessToken)
        .where(OAuthAccessToken.jti == jtis[1])
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await session.commit()
    counts = await purge_tokens(session, revoked=True, expired=False)
    assert counts["oauth_access_tokens"] == 1
    counts = await purge_tokens(session, revoked=False, expired=True)
    assert counts["oauth_access_tokens"] == 1
    assert await session.scalar(select(func.count()).select_from(OAuthAccessToken)) == 1
