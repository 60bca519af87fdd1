"""OAuth2 access tokens of the authorization-code flow say how the user signed in (``amr``,
``acr``, ``auth_time``, ``mfa_at``), as login tokens do, and keep it across refreshes.

Found by a black-box probe: authlib's client ran the flow for a user with a second factor and
the token it got back carried neither ``amr`` nor ``acr``.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from foundry.auth.login_claims import ACR_MFA, ACR_PWD
from foundry.kernel.application import Application
from foundry.mfa.factors import SecondFactorRegistry
from tests.foundry.feature.oauth2.browser import approve, authorize, hidden_fields, path_of
from tests.foundry.feature.oauth2.conftest import (
    BASE,
    PASSWORD,
    REDIRECT,
    MakeClient,
    oauth_client,
)
from tests.foundry.mfa.support import CODES, CodeFactor
from tests.foundry.testbench.models import User

AUTHORIZE = f"{BASE}/oauth/authorize"
TOKEN = f"{BASE}/oauth/token"


@pytest.fixture(autouse=True)
def code_factor(application: Application) -> Iterator[None]:
    application.container.make(SecondFactorRegistry).add(CodeFactor)
    CODES.clear()
    yield
    CODES.clear()


def payload(token: str) -> dict[str, Any]:
    # The signature is the JWT service's business (tested there): only the claims matter here.
    part = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return claims


async def test_a_sign_in_with_a_second_factor_is_in_the_tokens_and_survives_a_refresh(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    CODES[user.id] = "424242"
    registered = await make_client(scopes=("profile", "offline_access"))
    verifier = secrets.token_urlsafe(48)
    async with oauth_client(
        http_app,
        registered,
        redirect_uri=REDIRECT,
        scope="profile offline_access",
        code_challenge_method="S256",
    ) as client:
        url, _ = client.create_authorization_url(AUTHORIZE, code_verifier=verifier)
        first = await http.get(url)
        login_page = await http.get(path_of(first.headers["location"]))
        second = await http.post(
            "/oauth/login",
            data={**hidden_fields(login_page.text), "email": user.email, "password": PASSWORD},
        )
        proved = await http.post(
            "/oauth/login/mfa", data={**hidden_fields(second.text), "code": "424242"}
        )
        assert proved.status_code == 303, proved.text
        location = await approve(http, await http.get(path_of(proved.headers["location"])))
        token = await client.fetch_token(
            TOKEN, authorization_response=location, code_verifier=verifier
        )
        claims = payload(token["access_token"])
        assert claims["amr"] == ["pwd", "otp"] and claims["acr"] == ACR_MFA
        assert isinstance(claims["mfa_at"], int) and isinstance(claims["auth_time"], int)

        refreshed = await client.refresh_token(TOKEN, refresh_token=token["refresh_token"])
        again = payload(refreshed["access_token"])
        assert {k: again[k] for k in ("amr", "acr", "auth_time", "mfa_at")} == {
            k: claims[k] for k in ("amr", "acr", "auth_time", "mfa_at")
        }


async def test_a_password_only_sign_in_says_so(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(scopes=("profile",))
    verifier = secrets.token_urlsafe(48)
    async with oauth_client(
        http_app, registered, redirect_uri=REDIRECT, scope="profile", code_challenge_method="S256"
    ) as client:
        url, _ = client.create_authorization_url(AUTHORIZE, code_verifier=verifier)
        location = await authorize(http, url)
        token = await client.fetch_token(
            TOKEN, authorization_response=location, code_verifier=verifier
        )
    claims = payload(token["access_token"])
    assert claims["amr"] == ["pwd"] and claims["acr"] == ACR_PWD and "mfa_at" not in claims


async def test_a_first_party_spa_passes_on_its_login_tokens_second_factor(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    CODES[user.id] = "424242"
    registered = await make_client(public=True, first_party=True)
    step = await http.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    verified = await http.post(
        "/api/v1/auth/mfa/verify", json={"mfa_token": step.json()["mfa_token"], "code": "424242"}
    )
    login_token = verified.json()["access_token"]
    verifier = secrets.token_urlsafe(48)
    async with oauth_client(
        http_app,
        registered,
        redirect_uri=REDIRECT,
        scope="profile",
        code_challenge_method="S256",
        token_endpoint_auth_method="none",
    ) as client:
        url, _ = client.create_authorization_url(AUTHORIZE, code_verifier=verifier)
        form = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        approved = await http.post(
            "/oauth/authorize",
            data={**form, "decision": "approve"},
            headers={"Authorization": f"Bearer {login_token}"},
        )
        assert approved.status_code == 303, approved.text
        token = await client.fetch_token(
            TOKEN, authorization_response=approved.headers["location"], code_verifier=verifier
        )
    login_claims, claims = payload(login_token), payload(token["access_token"])
    assert claims["amr"] == ["pwd", "otp"] and claims["acr"] == ACR_MFA
    assert claims["mfa_at"] == login_claims["mfa_at"]
