"""A user whose only second factor is SMS signs in on the OAuth2 pages: the second step and the
step-up page have a "Text me a code" button that texts the code (``SMS_DRIVER=array`` keeps it),
and the code field takes it."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.login_claims import ACR_MFA
from foundry.database import utcnow
from foundry.kernel.application import Application
from foundry.mfa.factors import SecondFactorRegistry
from foundry.mfa.models.sms_credential import SmsCredential
from foundry.sms import ArrayDriver, SmsManager
from tests.conftest import MakeApplication
from tests.foundry.feature.oauth2.browser import approve, hidden_fields, path_of
from tests.foundry.feature.oauth2.conftest import (
    BASE,
    PASSWORD,
    REDIRECT,
    MakeClient,
    oauth_client,
)
from tests.foundry.mfa.support import CODES, CodeFactor
from tests.foundry.mfa.test_sms_service import FailingDriver
from tests.foundry.testbench.models import User

AUTHORIZE = f"{BASE}/oauth/authorize"
TOKEN = f"{BASE}/oauth/token"
PHONE = "+442079460958"
MASKED = "+4*********58"
BUTTON = "Text me a code"
LOGIN = "/oauth/login"


@pytest.fixture
def application(make_application: MakeApplication, database_url: str) -> Application:
    """The app with ``SMS_DRIVER=array``: texts are kept in memory, where the test reads them."""
    return make_application(DATABASE_URL=database_url, SMS_DRIVER="array")


@pytest.fixture
def texts(application: Application) -> ArrayDriver:
    driver = application.container.make(SmsManager).driver("array")
    assert isinstance(driver, ArrayDriver)
    return driver


@pytest.fixture
async def phone(session: AsyncSession, user: User) -> None:
    """Ada's confirmed phone: her only second factor."""
    session.add(SmsCredential(user_id=user.id, phone=PHONE, confirmed_at=utcnow()))
    await session.commit()


@pytest.fixture
def code_factor(application: Application) -> Iterator[None]:
    """A second factor other than SMS (the app's code factor of the tests)."""
    application.container.make(SecondFactorRegistry).add(CodeFactor)
    CODES.clear()
    yield
    CODES.clear()


def texted_code(texts: ArrayDriver) -> str:
    """The code of the last text sent to :data:`PHONE`."""
    sent = [sms for sms in texts.messages if sms.to == PHONE]
    assert sent, "no text was sent"
    code = sent[-1].content[:6]
    assert code.isdigit(), sent[-1].content
    return code


def other_than(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def payload(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return claims


async def password_step(browser: httpx.AsyncClient, url: str = LOGIN) -> httpx.Response:
    """The password on the sign-in page ``url`` (or the one an authorization URL leads to)."""
    if not url.startswith(LOGIN):
        url = path_of((await browser.get(url)).headers["location"])
    login_page = await browser.get(url)
    return await browser.post(
        "/oauth/login",
        data={**hidden_fields(login_page.text), "email": "ada@example.com", "password": PASSWORD},
    )


async def text_me(browser: httpx.AsyncClient, page: httpx.Response, path: str) -> httpx.Response:
    """Press the page's "Text me a code" button."""
    assert BUTTON in page.text, page.text
    return await browser.post(path, data=hidden_fields(page.text))


@pytest.mark.usefixtures("phone")
async def test_an_sms_only_user_authorizes_a_client_with_a_texted_code(
    http_app: FastAPI,
    http: httpx.AsyncClient,
    make_client: MakeClient,
    texts: ArrayDriver,
) -> None:
    registered = await make_client(scopes=("profile",))
    verifier = secrets.token_urlsafe(48)
    async with oauth_client(
        http_app, registered, redirect_uri=REDIRECT, scope="profile", code_challenge_method="S256"
    ) as client:
        url, _ = client.create_authorization_url(AUTHORIZE, code_verifier=verifier)
        second = await password_step(http, url)
        assert second.status_code == 200 and "Two-step verification" in second.text
        assert texts.messages == []  # nothing is texted until the user asks

        sent = await text_me(http, second, "/oauth/login/mfa/sms")
        assert sent.status_code == 200, sent.text
        assert f"We sent a code by text message to {MASKED}" in sent.text
        assert "Text me a new code" in sent.text and 'name="code"' in sent.text
        code = texted_code(texts)

        fields = hidden_fields(sent.text)
        wrong = await http.post("/oauth/login/mfa", data={**fields, "code": other_than(code)})
        assert wrong.status_code == 401 and "That code is not valid" in wrong.text

        right = await http.post(
            "/oauth/login/mfa", data={**hidden_fields(wrong.text), "code": code}
        )
        assert right.status_code == 303, right.text
        location = await approve(http, await http.get(path_of(right.headers["location"])))
        assert location.startswith(REDIRECT + "?")
        token = await client.fetch_token(
            TOKEN, authorization_response=location, code_verifier=verifier
        )
    claims = payload(token["access_token"])
    assert claims["amr"] == ["pwd", "sms"] and claims["acr"] == ACR_MFA


@pytest.mark.usefixtures("phone")
async def test_the_button_needs_the_pages_csrf_token(
    http: httpx.AsyncClient, texts: ArrayDriver
) -> None:
    second = await password_step(http)
    fields = hidden_fields(second.text)
    for forged in (
        {k: v for k, v in fields.items() if k != "csrf_token"},
        {**fields, "csrf_token": "x"},
    ):
        refused = await http.post("/oauth/login/mfa/sms", data=forged)
        assert refused.status_code == 403 and "The form expired" in refused.text
    assert texts.messages == []


@pytest.mark.usefixtures("phone")
async def test_too_many_texts_are_a_page_saying_when_to_try_again(
    http: httpx.AsyncClient, texts: ArrayDriver
) -> None:
    second = await password_step(http)
    for _ in range(5):
        assert (await text_me(http, second, "/oauth/login/mfa/sms")).status_code == 200

    limited = await text_me(http, second, "/oauth/login/mfa/sms")

    assert limited.status_code == 429
    assert limited.headers["content-type"].startswith("text/html")
    assert "Too many codes sent. Please try again in" in limited.text
    assert 0 < int(limited.headers["Retry-After"]) <= 900
    assert len(texts.messages) == 5


@pytest.mark.usefixtures("code_factor")
async def test_a_user_without_sms_gets_no_button_and_no_text(
    http: httpx.AsyncClient, user: User, texts: ArrayDriver
) -> None:
    CODES[user.id] = "424242"
    second = await password_step(http)
    assert second.status_code == 200 and "Two-step verification" in second.text
    assert BUTTON not in second.text

    # The form forged by hand (methods claiming SMS) changes nothing: the factor is checked.
    fields = {**hidden_fields(second.text), "methods": "test_code,sms"}
    refused = await http.post("/oauth/login/mfa/sms", data=fields)

    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("text/html")
    assert "Text messages are not set up" in refused.text
    assert texts.messages == []


@pytest.mark.usefixtures("phone")
async def test_an_expired_sign_in_goes_back_to_the_password(
    http: httpx.AsyncClient, texts: ArrayDriver
) -> None:
    second = await password_step(http)
    fields = {**hidden_fields(second.text), "mfa_token": "no-such-token"}
    expired = await http.post("/oauth/login/mfa/sms", data=fields)
    assert expired.status_code == 401 and "Your sign-in expired" in expired.text
    assert texts.messages == []


@pytest.mark.usefixtures("phone")
async def test_the_step_up_page_texts_a_code_that_steps_up(
    http: httpx.AsyncClient, texts: ArrayDriver
) -> None:
    second = await password_step(http)
    sent = await text_me(http, second, "/oauth/login/mfa/sms")
    signed_in = await http.post(
        "/oauth/login/mfa", data={**hidden_fields(sent.text), "code": texted_code(texts)}
    )
    assert signed_in.status_code == 303, signed_in.text

    page = await http.get("/oauth/step-up?next=/queue")
    assert page.status_code == 200 and "Confirm it" in page.text
    fields = hidden_fields(page.text)
    no_csrf = {k: v for k, v in fields.items() if k != "csrf_token"}
    assert (await http.post("/oauth/step-up/sms", data=no_csrf)).status_code == 403
    assert len(texts.messages) == 1

    again = await text_me(http, page, "/oauth/step-up/sms")
    assert again.status_code == 200, again.text
    assert f"We sent a code by text message to {MASKED}" in again.text
    code = texted_code(texts)
    assert len(texts.messages) == 2

    wrong = await http.post("/oauth/step-up", data={**fields, "code": other_than(code)})
    assert wrong.status_code == 401 and "That code is not valid" in wrong.text
    stepped = await http.post("/oauth/step-up", data={**fields, "code": code})
    assert stepped.status_code == 303 and stepped.headers["location"] == "/queue"


@pytest.mark.usefixtures("code_factor")
async def test_the_step_up_page_of_a_user_without_sms_has_no_button(
    http: httpx.AsyncClient, user: User, texts: ArrayDriver
) -> None:
    CODES[user.id] = "424242"
    second = await password_step(http)
    signed_in = await http.post(
        "/oauth/login/mfa", data={**hidden_fields(second.text), "code": "424242"}
    )
    assert signed_in.status_code == 303

    page = await http.get("/oauth/step-up?next=/queue")
    assert page.status_code == 200 and BUTTON not in page.text
    refused = await http.post("/oauth/step-up/sms", data=hidden_fields(page.text))
    assert refused.status_code == 422 and "Text messages are not set up" in refused.text
    assert texts.messages == []


@pytest.mark.usefixtures("phone")
async def test_a_provider_failure_is_a_page_asking_to_try_again(
    http: httpx.AsyncClient, application: Application
) -> None:
    manager = application.container.make(SmsManager)
    manager.extend("array", lambda manager, name: FailingDriver(name, manager.settings))
    second = await password_step(http)

    failed = await text_me(http, second, "/oauth/login/mfa/sms")

    assert failed.status_code == 503 and failed.headers["Retry-After"] == "5"
    assert "The code could not be sent by SMS. Please try again shortly." in failed.text
    assert "sms.example.test" not in failed.text
    assert BUTTON in failed.text  # the button is still there to try again


@pytest.mark.parametrize("token", ["", "\x00", "x" * 5000, "é" * 40])
@pytest.mark.usefixtures("phone")
async def test_a_hostile_mfa_token_is_an_expired_sign_in(
    http: httpx.AsyncClient, texts: ArrayDriver, token: str
) -> None:
    second = await password_step(http)
    fields = {**hidden_fields(second.text), "mfa_token": token}
    answer = await http.post("/oauth/login/mfa/sms", data=fields)
    assert answer.status_code == 401 and "Your sign-in expired" in answer.text
    assert texts.messages == []
