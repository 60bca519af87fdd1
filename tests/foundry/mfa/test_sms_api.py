"""``/api/v1/auth/mfa/sms`` end to end with the SMS fake, on SQLite and PostgreSQL."""

from __future__ import annotations

from foundry.kernel.application import Application
from foundry.sms import SmsFake, SmsManager, SmsTransportError
from foundry.testing import TestClient
from tests.foundry.mfa.test_sms_service import PHONE, FailingDriver, code_in, other_than
from tests.foundry.testbench.models import User

URL = "/api/v1/auth/mfa/sms"


async def test_enrol_confirm_and_remove(client: TestClient, user: User, sms: SmsFake) -> None:
    client.acting_as(user)
    sent = await client.post(URL, json={"phone": PHONE})
    sent.assert_ok().assert_exact_json({"sent_to": "+4*********58", "expires_in": 300})
    code = code_in(sms)

    wrong = await client.post(f"{URL}/confirm", json={"code": other_than(code)})
    wrong.assert_json_validation_errors({"code": "invalid or has expired"})
    confirmed = await client.post(f"{URL}/confirm", json={"code": code})
    confirmed.assert_ok().assert_json({"method": "sms"})
    again = await client.post(f"{URL}/confirm", json={"code": code})
    again.assert_status(409).assert_json({"error": "mfa_already_enabled"})

    (await client.request("DELETE", URL, json={})).assert_json_validation_errors("password")
    (await client.request("DELETE", URL, json={"password": "password"})).assert_no_content()
    (await client.request("DELETE", URL, json={"password": "password"})).assert_not_found()


async def test_a_bad_number_is_a_422_and_nothing_is_sent(
    client: TestClient, user: User, sms: SmsFake
) -> None:
    client.acting_as(user)
    for phone in ("020 7946 0958", "+44 20 7946 0958", "+4420794609581234567"):
        response = await client.post(URL, json={"phone": phone})
        response.assert_json_validation_errors({"phone": "E.164"})
    (await client.post(URL, json={"phone": 442079460958})).assert_json_validation_errors("phone")
    sms.assert_nothing_sent()


async def test_too_many_sends_are_a_429(client: TestClient, user: User, sms: SmsFake) -> None:
    client.acting_as(user)
    for _ in range(5):
        (await client.post(URL, json={"phone": PHONE})).assert_ok()

    limited = await client.post(URL, json={"phone": PHONE})

    limited.assert_too_many_requests().assert_json({"error": "too_many_requests"})
    assert limited.json()["message"].startswith("Too many codes sent.")
    assert 0 < int(limited.headers["Retry-After"]) <= 900
    sms.assert_sent_times(5)


async def test_a_provider_failure_is_a_503(
    client: TestClient, user: User, application: Application
) -> None:
    manager = application.container.make(SmsManager)
    manager.extend("log", lambda manager, name: FailingDriver(name, manager.settings))
    client.acting_as(user)

    failed = await client.post(URL, json={"phone": PHONE})

    failed.assert_status(503).assert_exact_json(
        {
            "message": "The code could not be sent by SMS. Please try again shortly.",
            "error": "sms_not_sent",
        }
    )
    assert failed.headers["Retry-After"] == "5"
    assert SmsTransportError.__name__ not in failed.text


async def test_confirm_without_enrolment_is_a_404(client: TestClient, user: User) -> None:
    client.acting_as(user)
    response = await client.post(f"{URL}/confirm", json={"code": "123456"})
    response.assert_not_found().assert_json({"error": "mfa_not_enrolled"})
