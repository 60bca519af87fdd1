"""Failed logins are throttled per (email, IP) and per IP, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.testing import TestClient, TestResponse
from tests.conftest import MakeApplication

PASSWORD = "correct horse battery staple"
API = "/api/v1/auth"


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    return make_application(DATABASE_URL=database_url, RATE_LIMIT_LOGIN_IP_PER_MINUTE="3")


async def _register(client: TestClient, email: str) -> None:
    body = {"name": "Ada", "email": email, "password": PASSWORD}
    (await client.post(f"{API}/register", json={**body, "password_confirmation": PASSWORD}))


async def _login(client: TestClient, email: str, password: str = PASSWORD) -> TestResponse:
    return await client.post(f"{API}/login", json={"email": email, "password": password})


async def test_one_address_cannot_spray_a_password_over_many_accounts(
    application: Application, db: AsyncConnection
) -> None:
    app = create_app(application)
    async with (
        TestClient(app, client=("203.0.113.7", 4000)) as attacker,
        TestClient(app, client=("198.51.100.1", 4000)) as elsewhere,
    ):
        await _register(elsewhere, "ada@example.com")
        for n in range(3):
            (await _login(attacker, f"user{n}@example.com", "Summer2024!xx")).assert_unauthorized()
        # A fourth account, even with the right password, from that address: refused.
        blocked = (await _login(attacker, "ada@example.com")).assert_too_many_requests()
        (await _login(elsewhere, "ada@example.com")).assert_ok()

    blocked.assert_json({"error": "too_many_requests"})
    assert 0 < int(blocked.headers["Retry-After"]) <= 60


async def test_logging_in_to_ones_own_account_does_not_reset_the_address_count(
    application: Application, db: AsyncConnection
) -> None:
    app = create_app(application)
    async with TestClient(app, client=("203.0.113.7", 4000)) as attacker:
        await _register(attacker, "mallory@example.com")
        for n in range(2):
            (
                await _login(attacker, f"victim{n}@example.com", "guess-number-1")
            ).assert_unauthorized()
            (await _login(attacker, "mallory@example.com")).assert_ok()
        (await _login(attacker, "victim2@example.com", "guess-number-1")).assert_unauthorized()
        (await _login(attacker, "victim3@example.com", "guess")).assert_too_many_requests()


async def test_the_oauth2_sign_in_page_shares_the_address_limit(
    application: Application, db: AsyncConnection
) -> None:
    app = create_app(application)
    browser = TestClient(app, base_url="https://testserver", client=("203.0.113.7", 4000))
    async with browser as attacker:
        for n in range(3):
            await _login(attacker, f"user{n}@example.com", "wrong-password-1")
        page = await attacker.get("/oauth/login")
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        response = await attacker.post(
            "/oauth/login",
            data={"email": "other@example.com", "password": "x" * 12, "csrf_token": csrf},
        )
    response.assert_status(429)
    # A page for the person at the browser, not the API's JSON: the form again, email kept.
    assert response.headers["content-type"].startswith("text/html")
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "Too many attempts. Try again in 1 minute." in response.text
    assert 'name="csrf_token" value="' + csrf + '"' in response.text
    assert 'value="other@example.com"' in response.text
    assert '"too_many_requests"' not in response.text
