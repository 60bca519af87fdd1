"""A passkey on the browser pages' second-factor forms: the sign-in's second step
(``/oauth/login/mfa``) and the step-up page (``/oauth/step-up``), with a software authenticator.
The button's options endpoints check the form's CSRF token; its script is served by the app."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.foundry.feature.oauth2.browser import hidden_fields
from tests.foundry.feature.oauth2.conftest import PASSWORD
from tests.foundry.testbench.models import User
from tests.support.webauthn import SoftAuthenticator, b64url

API = "/api/v1/auth"
#: The testbench's APP_URL is http://127.0.0.1:8000: the RP id is localhost.
ORIGIN = "http://localhost:8000"
NEXT = "/oauth/device"


@pytest.fixture
async def phone(http: httpx.AsyncClient, user: User) -> SoftAuthenticator:
    """Ada's passkey, registered through the API."""
    login = await http.post(f"{API}/login", json={"email": user.email, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    options = await http.post(f"{API}/passkeys/register/options", headers=headers)
    authenticator = SoftAuthenticator(origin=ORIGIN)
    registered = await http.post(
        f"{API}/passkeys/register",
        headers=headers,
        json={"name": "Phone", "credential": authenticator.create(options.json())},
    )
    assert registered.status_code == 201, registered.text
    return authenticator


async def password_step(http: httpx.AsyncClient) -> httpx.Response:
    page = await http.get("/oauth/login", params={"next": NEXT})
    return await http.post(
        "/oauth/login",
        data={**hidden_fields(page.text), "email": "ada@example.com", "password": PASSWORD},
    )


async def options_for(http: httpx.AsyncClient, url: str, fields: dict[str, str]) -> dict[str, Any]:
    answer = await http.post(url, data=fields, headers={"Accept": "application/json"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    data: dict[str, Any] = answer.json()["data"]
    return data


async def test_the_second_step_offers_the_passkey_and_a_passkey_signs_in(
    http: httpx.AsyncClient, phone: SoftAuthenticator
) -> None:
    second = await password_step(http)
    assert second.status_code == 200 and "Two-step verification" in second.text
    assert 'id="passkey-button"' in second.text
    assert '<script src="/oauth/assets/passkey-form.js" defer></script>' in second.text
    assert 'data-passkey-options="/oauth/login/mfa/passkey"' in second.text
    assert 'name="code"' not in second.text  # a passkey is no typed code
    fields = hidden_fields(second.text)

    script = await http.get("/oauth/assets/passkey-form.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "navigator.credentials.get" in script.text

    options = await options_for(http, "/oauth/login/mfa/passkey", fields)
    assert [c["id"] for c in options["allowCredentials"]] == [b64url(phone.credential_id)]
    assertion = json.dumps(phone.get(options))
    answer = {**fields, "method": "webauthn", "credential": assertion}
    signed_in = await http.post("/oauth/login/mfa", data=answer)
    assert signed_in.status_code == 303, signed_in.text
    assert signed_in.headers["location"] == NEXT

    # The assertion answered a single-use challenge, and the mfa_token is spent.
    replay = await http.post("/oauth/login/mfa", data=answer)
    assert replay.status_code in (401, 403)


async def test_the_login_options_need_the_forms_csrf_token_and_a_live_mfa_token(
    http: httpx.AsyncClient, phone: SoftAuthenticator
) -> None:
    fields = hidden_fields((await password_step(http)).text)
    forged = await http.post("/oauth/login/mfa/passkey", data={**fields, "csrf_token": "nope"})
    assert forged.status_code == 403 and forged.json()["error"] == "csrf_mismatch"
    expired = await http.post("/oauth/login/mfa/passkey", data={**fields, "mfa_token": "x" * 43})
    assert expired.status_code == 401 and expired.json()["error"] == "invalid_mfa_token"


async def test_a_wrong_passkey_answer_shows_the_form_again(
    http: httpx.AsyncClient, phone: SoftAuthenticator
) -> None:
    fields = hidden_fields((await password_step(http)).text)
    options = await options_for(http, "/oauth/login/mfa/passkey", fields)
    # The assertion signed for another site (a phishing page relaying the challenge).
    wrong = json.dumps(phone.get(options, origin="https://evil.example"))
    refused = await http.post(
        "/oauth/login/mfa", data={**fields, "method": "webauthn", "credential": wrong}
    )
    assert refused.status_code == 401 and "That code is not valid" in refused.text
    assert 'id="passkey-button"' in refused.text


async def test_a_passkey_steps_the_session_up(
    http: httpx.AsyncClient, phone: SoftAuthenticator
) -> None:
    second = await password_step(http)
    options = await options_for(http, "/oauth/login/mfa/passkey", hidden_fields(second.text))
    signed_in = await http.post(
        "/oauth/login/mfa",
        data={
            **hidden_fields(second.text),
            "method": "webauthn",
            "credential": json.dumps(phone.get(options)),
        },
    )
    assert signed_in.status_code == 303

    page = await http.get("/oauth/step-up", params={"next": "/queue/jobs/failed"})
    assert page.status_code == 200 and 'id="passkey-button"' in page.text
    assert 'data-passkey-options="/oauth/step-up/passkey"' in page.text
    fields = hidden_fields(page.text)
    refused = await http.post("/oauth/step-up/passkey", data={**fields, "csrf_token": "x"})
    assert refused.status_code == 403 and refused.json()["error"] == "csrf_mismatch"

    options = await options_for(http, "/oauth/step-up/passkey", fields)
    assertion = json.dumps(phone.get(options))
    answer = {**fields, "method": "webauthn", "credential": assertion}
    stepped_up = await http.post("/oauth/step-up", data=answer)
    assert stepped_up.status_code == 303, stepped_up.text
    assert stepped_up.headers["location"] == "/queue/jobs/failed"
    again = await http.post("/oauth/step-up", data=answer)
    assert again.status_code == 401 and "That code is not valid" in again.text
