"""The issuer, the metadata's URLs and the tokens' ``iss`` come from ``APP_URL``, never ``Host``."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from foundry.auth.jwt import JwtService
from foundry.kernel.application import Application
from tests.conftest import MakeApplication
from tests.foundry.feature.oauth2.conftest import MakeClient

APP_URL = "https://auth.example.com"


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    return make_application(DATABASE_URL=database_url, APP_URL=APP_URL)


async def test_the_metadata_is_built_on_app_url_whatever_the_host(
    http: httpx.AsyncClient,
) -> None:
    response = await http.get(
        "/.well-known/oauth-authorization-server", headers={"Host": "evil.example"}
    )
    body = response.json()
    assert body["issuer"] == APP_URL
    assert body["token_endpoint"] == f"{APP_URL}/oauth/token"
    assert body["authorization_endpoint"] == f"{APP_URL}/oauth/authorize"
    assert body["jwks_uri"] == f"{APP_URL}/.well-known/jwks.json"


async def test_tokens_and_device_links_name_the_same_issuer(
    application: Application, http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    machine = await make_client(grants=["client_credentials"], scopes=["profile"])
    device = await make_client(
        grants=["urn:ietf:params:oauth:grant-type:device_code"], public=True, scopes=["profile"]
    )
    headers = {"Host": "evil.example"}
    token = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(machine.client_id, machine.secret or ""),
        headers=headers,
    )
    started = await http.post(
        "/oauth/device/code", data={"client_id": device.client_id}, headers=headers
    )

    claims = application.container.make(JwtService).decode(token.json()["access_token"])
    assert claims.issuer == APP_URL
    assert started.json()["verification_uri"] == f"{APP_URL}/oauth/device"


def test_jwt_issuer_still_wins_when_set(make_application: MakeApplication) -> None:
    app = make_application(APP_URL=APP_URL, JWT_ISSUER="https://issuer.example.com")
    assert app.container.make(JwtService).settings.issuer == "https://issuer.example.com"
