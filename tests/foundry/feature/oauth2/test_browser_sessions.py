"""The OAuth2 pages' browser session ends with the user's sessions: logout-all, a password change
and a password reset each send an old ``foundry_oauth`` cookie back to the sign-in page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.password_resets import PasswordResetBroker
from tests.foundry.feature.oauth2.browser import hidden_fields, sign_in
from tests.foundry.feature.oauth2.conftest import PASSWORD, MakeClient
from tests.foundry.feature.oauth2.test_authorize_security import authorize_url
from tests.foundry.testbench.models import User

API = "/api/v1/auth"
NEW_PASSWORD = "a brand new passphrase"

EndSessions = Callable[[httpx.AsyncClient, AsyncSession], Awaitable[None]]


async def login_token(http: httpx.AsyncClient) -> dict[str, str]:
    response = await http.post(
        f"{API}/login", json={"email": "ada@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def logout_all(http: httpx.AsyncClient, session: AsyncSession) -> None:
    response = await http.post(f"{API}/logout-all", headers=await login_token(http))
    assert response.status_code == 204, response.text


async def change_password(http: httpx.AsyncClient, session: AsyncSession) -> None:
    response = await http.post(
        f"{API}/password",
        headers=await login_token(http),
        json={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200, response.text


async def reset_password(http: httpx.AsyncClient, session: AsyncSession) -> None:
    token = await PasswordResetBroker(session).create("ada@example.com")
    await session.commit()
    response = await http.post(
        f"{API}/reset-password",
        json={
            "email": "ada@example.com",
            "token": token,
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("end_sessions", [logout_all, change_password, reset_password])
async def test_ending_the_users_sessions_ends_the_browser_session(
    http: httpx.AsyncClient,
    make_client: MakeClient,
    user: User,
    session: AsyncSession,
    end_sessions: EndSessions,
) -> None:
    registered = await make_client()
    url = authorize_url(registered.client_id)
    consent = await sign_in(http, url)
    assert consent.status_code == 200, consent.text
    form = hidden_fields(consent.text)
    # The session is remembered: the consent page again, no sign-in.
    assert (await http.get(url)).status_code == 200

    await end_sessions(http, session)

    again = await http.get(url)
    assert again.status_code == 302
    assert urlsplit(again.headers["location"]).path == "/oauth/login"
    # The consent form the old session showed issues no code either.
    approved = await http.post("/oauth/authorize", data={**form, "decision": "approve"})
    assert approved.status_code == 401
    assert "code" not in parse_qs(urlsplit(approved.headers.get("location", "")).query)


async def test_a_session_started_afterwards_works(
    http: httpx.AsyncClient, make_client: MakeClient, user: User, session: AsyncSession
) -> None:
    registered = await make_client()
    url = authorize_url(registered.client_id)
    await sign_in(http, url)
    await logout_all(http, session)

    consent = await sign_in(http, url)

    assert consent.status_code == 200, consent.text
    assert "Test client" in consent.text
