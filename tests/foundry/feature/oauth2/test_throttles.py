"""Guessing is throttled: client secrets (per client_id and IP) and device user codes (per IP)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from foundry.kernel.application import Application
from tests.conftest import MakeApplication
from tests.foundry.feature.oauth2.browser import hidden_fields, path_of
from tests.foundry.feature.oauth2.conftest import BASE, PASSWORD, MakeClient, Registered
from tests.foundry.testbench.models import User

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    return make_application(
        DATABASE_URL=database_url,
        RATE_LIMIT_CLIENT_AUTH_PER_MINUTE="3",
        RATE_LIMIT_DEVICE_CODE_PER_MINUTE="3",
    )


def _from(app: FastAPI, ip: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(ip, 4000)), base_url=BASE
    )


async def _client_token(
    http: httpx.AsyncClient, registered: Registered, secret: str
) -> httpx.Response:
    return await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "profile"},
        auth=(registered.client_id, secret),
    )


async def test_wrong_client_secrets_lock_that_client_and_address_for_a_while(
    http_app: FastAPI, make_client: MakeClient
) -> None:
    registered = await make_client(grants=["client_credentials"], scopes=["profile"])
    assert registered.secret is not None
    async with _from(http_app, "203.0.113.7") as attacker, _from(http_app, "198.51.100.1") as owner:
        for _ in range(3):
            wrong = await _client_token(attacker, registered, "guessed-secret")
            assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
        # The right secret from the guessing address is refused too, until the window ends ...
        refused = await _client_token(attacker, registered, registered.secret)
        # ... and the client itself, elsewhere, is not locked out.
        allowed = await _client_token(owner, registered, registered.secret)

    assert refused.status_code == 429
    assert refused.json()["error"] == "invalid_client"
    assert "Too many failed client authentications" in refused.json()["error_description"]
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["Cache-Control"] == "no-store"
    assert allowed.status_code == 200, allowed.text


async def test_introspection_and_revocation_failures_count_too(
    http_app: FastAPI, make_client: MakeClient
) -> None:
    registered = await make_client(grants=["client_credentials"], scopes=["profile"])
    assert registered.secret is not None
    async with _from(http_app, "203.0.113.7") as attacker:
        for endpoint in ("/oauth/introspect", "/oauth/revoke", "/oauth/introspect"):
            wrong = await attacker.post(
                endpoint, data={"token": "x"}, auth=(registered.client_id, "guessed-secret")
            )
            assert wrong.status_code == 401, wrong.text
        refused = await _client_token(attacker, registered, registered.secret)
    assert refused.status_code == 429


async def test_the_device_endpoint_counts_failed_client_authentication(
    http_app: FastAPI, make_client: MakeClient
) -> None:
    registered = await make_client(grants=[DEVICE_GRANT], scopes=["profile"])
    async with _from(http_app, "203.0.113.7") as attacker:
        for _ in range(3):
            wrong = await attacker.post(
                "/oauth/device/code",
                data={"scope": "profile"},
                auth=(registered.client_id, "guessed-secret"),
            )
            assert wrong.status_code == 401, wrong.text
        refused = await attacker.post(
            "/oauth/device/code",
            data={"scope": "profile"},
            auth=(registered.client_id, registered.secret or ""),
        )
    assert refused.status_code == 429 and refused.json()["error"] == "invalid_client"


async def test_guessing_device_user_codes_is_throttled_per_address(
    http_app: FastAPI, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(grants=[DEVICE_GRANT], public=True, scopes=["profile"])
    async with _from(http_app, "203.0.113.7") as browser:
        started = await browser.post(
            "/oauth/device/code", data={"client_id": registered.client_id, "scope": "profile"}
        )
        user_code = started.json()["user_code"]
        login = await browser.get(path_of((await browser.get("/oauth/device")).headers["location"]))
        signed = await browser.post(
            "/oauth/login",
            data={**hidden_fields(login.text), "email": "ada@example.com", "password": PASSWORD},
        )
        assert signed.status_code == 303
        form = hidden_fields((await browser.get(f"/oauth/device?user_code={user_code}")).text)
        for guess in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"):
            wrong = await browser.get(f"/oauth/device?user_code={guess}")
            assert wrong.status_code == 400
        refused = await browser.get(f"/oauth/device?user_code={user_code}")
        refused_post = await browser.post(
            "/oauth/device",
            data={**form, "decision": "approve"},
        )

    assert refused.status_code == 429
    assert "Too many wrong codes" in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused_post.status_code == 429
