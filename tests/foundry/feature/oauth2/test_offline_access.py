"""Refresh tokens only with ``offline_access`` (or for first-party clients, if allowed)."""

from __future__ import annotations

import httpx
import pytest

from foundry.kernel.application import Application
from tests.conftest import MakeApplication
from tests.foundry.feature.oauth2.conftest import PASSWORD, MakeClient, Registered
from tests.foundry.testbench.models import User


@pytest.fixture(params=["true", "false"], ids=["first-party-refresh", "no-first-party-refresh"])
def first_party_refresh(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def application(
    make_application: MakeApplication, database_url: str, first_party_refresh: str
) -> Application:
    return make_application(
        DATABASE_URL=database_url,
        OAUTH2_PASSWORD_GRANT="true",
        OAUTH2_FIRST_PARTY_REFRESH=first_party_refresh,
    )


async def _token(http: httpx.AsyncClient, client: Registered, scope: str) -> dict[str, str]:
    response = await http.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "username": "ada@example.com",
            "password": PASSWORD,
            "scope": scope,
        },
        auth=(client.client_id, client.secret or ""),
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_third_party_client_gets_a_refresh_token_only_when_it_asks(
    http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    client = await make_client(
        grants=["password", "refresh_token"], scopes=("profile", "offline_access")
    )
    assert "refresh_token" not in await _token(http, client, "profile")
    offline = await _token(http, client, "profile offline_access")
    assert offline["refresh_token"]

    refreshed = await http.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": offline["refresh_token"]},
        auth=(client.client_id, client.secret or ""),
    )
    assert refreshed.status_code == 200 and refreshed.json()["refresh_token"]


async def test_first_party_clients_follow_the_setting(
    http: httpx.AsyncClient, make_client: MakeClient, user: User, first_party_refresh: str
) -> None:
    client = await make_client(grants=["password", "refresh_token"], first_party=True)
    token = await _token(http, client, "profile")
    assert ("refresh_token" in token) is (first_party_refresh == "true")


def test_offline_access_is_always_a_known_scope(make_application: MakeApplication) -> None:
    from foundry.config.oauth2 import OAuth2Settings

    app = make_application(OAUTH2_SCOPES='{"orders:read": "Read your orders"}')
    scopes = app.container.make(OAuth2Settings).scopes
    assert set(scopes) == {"orders:read", "offline_access"}
