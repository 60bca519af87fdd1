"""The OAuth2 sign-in page asks a user with MFA for the second factor before authorizing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from foundry.kernel.application import Application
from foundry.mfa.factors import SecondFactorRegistry
from tests.foundry.feature.oauth2.browser import approve, hidden_fields, path_of
from tests.foundry.feature.oauth2.conftest import (
    BASE,
    PASSWORD,
    REDIRECT,
    MakeClient,
    Registered,
    oauth_client,
)
from tests.foundry.mfa.support import CODES, CodeFactor
from tests.foundry.testbench.models import User

AUTHORIZE = f"{BASE}/oauth/authorize"
VERIFIER = "v" * 48


def pkce_client(app: FastAPI, registered: Registered) -> Any:
    return oauth_client(
        app, registered, redirect_uri=REDIRECT, scope="profile", code_challenge_method="S256"
    )


@pytest.fixture(autouse=True)
def code_factor(application: Application, user: User) -> Iterator[None]:
    application.container.make(SecondFactorRegistry).add(CodeFactor)
    CODES.clear()
    CODES[user.id] = "424242"
    yield
    CODES.clear()


async def password_step(browser: httpx.AsyncClient, url: str) -> httpx.Response:
    first = await browser.get(url)
    login_page = await browser.get(path_of(first.headers["location"]))
    fields = hidden_fields(login_page.text)
    return await browser.post(
        "/oauth/login", data={**fields, "email": "ada@example.com", "password": PASSWORD}
    )


async def test_the_code_is_asked_for_then_the_authorization_continues(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(scopes=("profile",))
    async with pkce_client(http_app, registered) as client:
        url, state = client.create_authorization_url(AUTHORIZE, code_verifier=VERIFIER)
        second = await password_step(http, url)
        assert second.status_code == 200 and "Two-step verification" in second.text
        fields = hidden_fields(second.text)

        wrong = await http.post("/oauth/login/mfa", data={**fields, "code": "000000"})
        assert wrong.status_code == 401 and "That code is not valid" in wrong.text

        right = await http.post(
            "/oauth/login/mfa", data={**hidden_fields(wrong.text), "code": "424242"}
        )
        assert right.status_code == 303, right.text
        consent = await http.get(path_of(right.headers["location"]))
        location = await approve(http, consent)
        assert location.startswith(REDIRECT + "?")
        assert parse_qs(urlsplit(location).query)["state"] == [state]


async def test_the_password_alone_signs_nobody_in(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(scopes=("profile",))
    async with pkce_client(http_app, registered) as client:
        url, _ = client.create_authorization_url(AUTHORIZE, code_verifier=VERIFIER)
        await password_step(http, url)
        # Back at the authorization endpoint without the second step: still asked to sign in.
        again = await http.get(url)
        assert again.status_code == 302 and "/oauth/login" in again.headers["location"]


async def test_a_spent_mfa_token_sends_back_to_the_password(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(scopes=("profile",))
    async with pkce_client(http_app, registered) as client:
        url, _ = client.create_authorization_url(AUTHORIZE, code_verifier=VERIFIER)
        fields = hidden_fields((await password_step(http, url)).text)
        done = await http.post("/oauth/login/mfa", data={**fields, "code": "424242"})
        assert done.status_code == 303
        replay = await http.post("/oauth/login/mfa", data={**fields, "code": "424242"})
        assert replay.status_code in (401, 403)


async def test_a_locked_out_second_factor_shows_the_form_again_with_the_wait(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(scopes=("profile",))
    async with pkce_client(http_app, registered) as client:
        url, _ = client.create_authorization_url(AUTHORIZE, code_verifier=VERIFIER)
        # Two tokens' worth of wrong codes (5 each) reach the user's lockout (10 by default).
        for _ in range(2):
            fields = hidden_fields((await password_step(http, url)).text)
            for _ in range(5):
                await http.post("/oauth/login/mfa", data={**fields, "code": "000000"})
        fields = hidden_fields((await password_step(http, url)).text)
        locked = await http.post("/oauth/login/mfa", data={**fields, "code": "424242"})

    assert locked.status_code == 429
    # A page for the person at the browser, not the API's JSON body.
    assert locked.headers["content-type"].startswith("text/html")
    assert 0 < int(locked.headers["Retry-After"]) <= 900
    assert "Too many attempts. Try again in 15 minutes." in locked.text
    # Still the second step's form, for the same token once the wait is over.
    again = hidden_fields(locked.text)
    assert again["mfa_token"] == fields["mfa_token"]
    assert again["methods"] == fields["methods"]
    assert again["csrf_token"] == fields["csrf_token"]
