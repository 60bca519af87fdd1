"""Bad input at the token endpoint for the code grant: each RFC error with 400/401."""

from __future__ import annotations

import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database import utcnow
from foundry.oauth2.models.oauth_token import OAuthAuthorizationCode
from tests.foundry.feature.oauth2.browser import authorize
from tests.foundry.feature.oauth2.conftest import REDIRECT, MakeClient, Registered
from tests.foundry.feature.oauth2.test_authorize_security import VERIFIER, authorize_url
from tests.foundry.testbench.models import User


async def code_for(http: httpx.AsyncClient, registered: Registered) -> str:
    location = await authorize(http, authorize_url(registered.client_id))
    return parse_qs(urlsplit(location).query)["code"][0]


def exchange(registered: Registered, the_code: str, **overrides: str) -> dict[str, str]:
    return {
        "grant_type": "authorization_code",
        "code": the_code,
        "redirect_uri": REDIRECT,
        "client_id": registered.client_id,
        "code_verifier": VERIFIER,
        **overrides,
    }


async def test_wrong_verifier_redirect_or_client_are_refused(
    http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(public=True)
    other = await make_client(public=True, name="Other")
    cases = [
        ({"code_verifier": secrets.token_urlsafe(48)}, "invalid_grant", 400),
        ({"code_verifier": ""}, "invalid_request", 400),
        ({"code_verifier": "short"}, "invalid_request", 400),
        ({"redirect_uri": "https://client.example.com/other"}, "invalid_grant", 400),
        ({"client_id": other.client_id}, "invalid_grant", 400),
        ({"code": "not-a-code"}, "invalid_grant", 400),
        ({"client_id": "nobody"}, "invalid_client", 401),
    ]
    for overrides, error, status in cases:
        code = await code_for(http, registered)
        response = await http.post("/oauth/token", data=exchange(registered, code, **overrides))
        assert response.status_code == status, (overrides, response.text)
        assert response.json()["error"] == error, overrides
        # A failed exchange leaves the code usable only by its rightful owner once.
    good = await http.post(
        "/oauth/token", data=exchange(registered, await code_for(http, registered))
    )
    assert good.status_code == 200


async def test_an_expired_code_is_invalid_grant(
    http: httpx.AsyncClient, make_client: MakeClient, user: User, session: AsyncSession
) -> None:
    registered = await make_client(public=True)
    code = await code_for(http, registered)
    await session.execute(
        update(OAuthAuthorizationCode).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await session.commit()
    response = await http.post("/oauth/token", data=exchange(registered, code))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_a_confidential_client_must_authenticate_to_exchange(
    http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client()
    code = await code_for(http, registered)
    response = await http.post("/oauth/token", data=exchange(registered, code))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    ok = await http.post(
        "/oauth/token",
        data=exchange(registered, code, client_secret=registered.secret or ""),
    )
    assert ok.status_code == 200


async def test_codes_are_hashed_at_rest(
    http: httpx.AsyncClient, make_client: MakeClient, user: User, session: AsyncSession
) -> None:
    registered = await make_client(public=True)
    code = await code_for(http, registered)
    stored = list(await session.scalars(OAuthAuthorizationCode.__table__.select()))
    assert stored and all(code not in str(row) for row in stored)


async def test_authorize_codes_live_at_most_ten_minutes(
    http: httpx.AsyncClient, make_client: MakeClient, user: User, session: AsyncSession
) -> None:
    registered = await make_client(public=True)
    await code_for(http, registered)
    row = (await session.execute(OAuthAuthorizationCode.__table__.select())).first()
    assert row is not None
    assert row.expires_at - utcnow() <= timedelta(minutes=10)
