"""Personal access tokens: ``user.create_token``, the API, and their use as bearer tokens."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.models.personal_access_token import PersonalAccessToken
from foundry.database import utcnow
from foundry.kernel.errors import ValidationError
from tests.foundry.feature.oauth2.conftest import PASSWORD
from tests.foundry.testbench.models import User

API = "/api/v1/personal-access-tokens"


async def login_headers(http: httpx.AsyncClient) -> dict[str, str]:
    login = await http.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
    )
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def test_create_token_on_the_user_is_hashed_and_authenticates(
    http: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    created = await user.create_token("deploy script", ["users:read"], session=session)
    await session.commit()
    assert created.plain_text_token.startswith("fpat_")
    stored = await session.scalar(select(PersonalAccessToken.token_hash))
    assert stored is not None and created.plain_text_token not in stored
    headers = {"Authorization": f"Bearer {created.plain_text_token}"}
    assert (await http.get("/api/v1/users", headers=headers)).status_code == 200
    me = await http.get("/api/v1/auth/me", headers=headers)
    assert me.json()["data"]["email"] == "ada@example.com"


async def test_scopes_of_a_token_are_enforced(
    http: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    created = await user.create_token("profile only", ["profile"], session=session)
    await session.commit()
    response = await http.get(
        "/api/v1/users", headers={"Authorization": f"Bearer {created.plain_text_token}"}
    )
    assert response.status_code == 403
    assert response.json()["error"] == "insufficient_scope"
    assert 'scope="users:read"' in response.headers["www-authenticate"]


async def test_expired_and_bad_tokens_are_refused(
    http: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    try:
        await user.create_token("x", ["nope"], session=session)
    except ValidationError as exc:
        assert "scopes" in exc.errors
    else:
        raise AssertionError("an unknown scope was accepted")
    created = await user.create_token("short", [], utcnow() + timedelta(seconds=1), session=session)
    created.token.expires_at = utcnow() - timedelta(seconds=1)
    await session.commit()
    for token in (created.plain_text_token, "fpat_unknown"):
        response = await http.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401


async def test_the_api_shows_a_token_once_lists_and_revokes(
    http: httpx.AsyncClient, user: User
) -> None:
    headers = await login_headers(http)
    created = await http.post(
        API,
        json={"name": "CI", "scopes": ["users:read"], "expires_at": "2099-01-01T00:00:00"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    plain = created.json()["access_token"]
    listed = (await http.get(API, headers=headers)).json()["data"]
    assert [t["name"] for t in listed] == ["CI"]
    assert plain not in str(listed)
    token_id = listed[0]["id"]
    assert (await http.delete(f"{API}/{token_id}", headers=headers)).status_code == 204
    assert (await http.delete(f"{API}/{token_id}", headers=headers)).status_code == 404
    refused = await http.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {plain}"})
    assert refused.status_code == 401


async def test_the_api_validates_input(http: httpx.AsyncClient, user: User) -> None:
    headers = await login_headers(http)
    for body, field in [
        ({"name": ""}, "name"),
        ({"name": "x", "scopes": ["root"]}, "scopes"),
        ({"name": "x", "expires_at": "tomorrow"}, "expires_at"),
        ({"name": "x", "expires_at": "2000-01-01T00:00:00Z"}, "expires_at"),
        ({"name": "x", "extra": 1}, "extra"),
    ]:
        response = await http.post(API, json=body, headers=headers)
        assert response.status_code == 422, body
        assert field in response.json()["errors"], body
    assert (await http.get(API)).status_code == 401
