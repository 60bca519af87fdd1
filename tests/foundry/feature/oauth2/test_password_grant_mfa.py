"""The password grant proves a password only: a user with a second factor gets no token through
it (a probe got one for a TOTP user), and the tokens it gives others say ``amr: ["pwd"]``."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from foundry.auth.login_claims import ACR_PWD
from foundry.kernel.application import Application
from foundry.mfa.factors import SecondFactorRegistry
from tests.conftest import MakeApplication
from tests.foundry.feature.oauth2.conftest import PASSWORD, MakeClient
from tests.foundry.mfa.support import CODES, CodeFactor
from tests.foundry.testbench.models import User


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    """The app with ``OAUTH2_PASSWORD_GRANT=true``."""
    return make_application(DATABASE_URL=database_url, OAUTH2_PASSWORD_GRANT="true")


@pytest.fixture(autouse=True)
def code_factor(application: Application) -> Iterator[None]:
    application.container.make(SecondFactorRegistry).add(CodeFactor)
    CODES.clear()
    yield
    CODES.clear()


def payload(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return claims


async def password_grant(http: httpx.AsyncClient, make_client: MakeClient) -> httpx.Response:
    registered = await make_client(grants=["password"], scopes=("profile",))
    return await http.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "username": "ada@example.com",
            "password": PASSWORD,
            "scope": "profile",
        },
        auth=(registered.client_id, registered.secret or ""),
    )


async def test_a_user_with_a_second_factor_gets_no_token(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    CODES[user.id] = "424242"
    answer = await password_grant(http, make_client)
    assert answer.status_code == 400
    body = answer.json()
    assert body["error"] == "invalid_grant" and "second factor" in body["error_description"]
    assert "access_token" not in body


async def test_a_user_without_one_gets_a_password_token(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    answer = await password_grant(http, make_client)
    assert answer.status_code == 200, answer.text
    claims = payload(answer.json()["access_token"])
    assert claims["amr"] == ["pwd"] and claims["acr"] == ACR_PWD and "mfa_at" not in claims
