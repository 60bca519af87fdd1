"""``/api/v1/auth/mfa/totp`` end to end: enrol, confirm, remove, on SQLite and PostgreSQL."""

from __future__ import annotations

import pyotp

from foundry.kernel.application import Application
from foundry.testing import TestClient
from tests.foundry.mfa.conftest import T0, FrozenClock
from tests.foundry.testbench.models import User

URL = "/api/v1/auth/mfa/totp"


async def enrol(client: TestClient) -> pyotp.TOTP:
    response = (await client.post(URL)).assert_ok()
    response.assert_json_structure(["otpauth_uri", "secret", "qr_code"])
    return pyotp.TOTP(response.json()["secret"])


async def test_enrol_confirm_and_remove(
    client: TestClient, application: Application, user: User, clock: FrozenClock
) -> None:
    client.acting_as(user)
    response = (await client.post(URL)).assert_ok()
    body = response.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/Foundry:ada%40example.com?secret=")
    assert body["qr_code"].startswith("data:image/svg+xml;")
    app = pyotp.TOTP(body["secret"])

    (await client.post(f"{URL}/confirm", json={"code": app.at(T0)})).assert_ok().assert_json(
        {"method": "totp"}
    )
    # Enabled: starting over needs a recent second factor first (then it answers 409).
    (await client.post(URL)).assert_forbidden().assert_json({"error": "mfa_required"})

    replayed = await client.request("DELETE", URL, json={"code": app.at(T0)})
    replayed.assert_json_validation_errors({"code": "already been used"})
    (await client.request("DELETE", URL, json={"code": app.at(T0 + 30)})).assert_no_content()
    (await client.request("DELETE", URL, json={"password": "password"})).assert_not_found()


async def test_removal_with_the_password(
    client: TestClient, user: User, clock: FrozenClock
) -> None:
    client.acting_as(user)
    app = await enrol(client)
    (await client.post(f"{URL}/confirm", json={"code": app.at(T0)})).assert_ok()

    wrong = await client.request("DELETE", URL, json={"password": "not the password"})
    wrong.assert_json_validation_errors({"password": "incorrect"})
    neither = await client.request("DELETE", URL, json={})
    neither.assert_json_validation_errors("code")
    (await client.request("DELETE", URL, json={"password": "password"})).assert_no_content()
    # A new app can be set up afterwards.
    assert (await enrol(client)).secret != app.secret


async def test_bad_input_is_a_clear_4xx(client: TestClient, user: User, clock: FrozenClock) -> None:
    client.acting_as(user)
    no_enrolment = await client.post(f"{URL}/confirm", json={"code": "123456"})
    no_enrolment.assert_not_found().assert_json({"error": "mfa_not_enrolled"})
    await enrol(client)
    (await client.post(f"{URL}/confirm", json={"code": 123456})).assert_json_validation_errors(
        "code"
    )
    (await client.post(f"{URL}/confirm", json={})).assert_json_validation_errors("code")
    extra = await client.post(f"{URL}/confirm", json={"code": "123456", "admin": True})
    extra.assert_json_validation_errors("admin")
    (await client.post(f"{URL}/confirm", json={"code": "12 34 56"})).assert_json_validation_errors(
        {"code": "invalid"}
    )


async def test_wrong_codes_are_throttled(
    client: TestClient, user: User, clock: FrozenClock
) -> None:
    client.acting_as(user)
    app = await enrol(client)
    wrong = "000000" if app.at(T0) != "000000" else "111111"
    for _ in range(5):
        (await client.post(f"{URL}/confirm", json={"code": wrong})).assert_unprocessable()

    throttled = await client.post(f"{URL}/confirm", json={"code": app.at(T0)})
    throttled.assert_too_many_requests().assert_json({"error": "too_many_requests"})
    assert 0 < int(throttled.headers["Retry-After"]) <= 60
    assert throttled.json()["message"].startswith("Too many attempts.")


async def test_only_a_first_party_login_may_manage_it(client: TestClient, user: User) -> None:
    (await client.post(URL)).assert_unauthorized()
    client.acting_as(user, scopes=["profile"])
    (await client.post(URL)).assert_forbidden().assert_json({"error": "first_party_token_required"})
