"""The password grant: off by default (RFC 9700), on per client when the server allows it."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from foundry.kernel.application import Application
from tests.conftest import MakeApplication
from tests.foundry.feature.oauth2.conftest import BASE, PASSWORD, MakeClient, oauth_client
from tests.foundry.testbench.models import User

TOKEN = f"{BASE}/oauth/token"


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    """The app with ``OAUTH2_PASSWORD_GRANT=true``."""
    return make_application(DATABASE_URL=database_url, OAUTH2_PASSWORD_GRANT="true")


async def test_password_grant_for_a_client_that_lists_it(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(
        grants=["password", "refresh_token"], scopes=("profile", "offline_access")
    )
    async with oauth_client(http_app, registered, scope="profile offline_access") as client:
        token = await client.fetch_token(TOKEN, username="ada@example.com", password=PASSWORD)
    assert token["refresh_token"]
    me = await http.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.json()["data"]["email"] == "ada@example.com"


async def test_wrong_passwords_and_clients_without_the_grant_are_refused(
    http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    allowed = await make_client(grants=["password"])
    other = await make_client(grants=["authorization_code"], name="Other")
    wrong = await http.post(
        "/oauth/token",
        data={"grant_type": "password", "username": "ada@example.com", "password": "nope"},
        auth=(allowed.client_id, allowed.secret or ""),
    )
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    refused = await http.post(
        "/oauth/token",
        data={"grant_type": "password", "username": "ada@example.com", "password": PASSWORD},
        auth=(other.client_id, other.secret or ""),
    )
    assert refused.status_code == 400 and refused.json()["error"] == "unauthorized_client"
    missing = await http.post(
        "/oauth/token",
        data={"grant_type": "password", "username": "ada@example.com"},
        auth=(allowed.client_id, allowed.secret or ""),
    )
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
