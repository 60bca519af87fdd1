"""``/api/v1/auth/passkeys`` end to end with a software authenticator, on SQLite and PostgreSQL:
registration, listing, renaming, deleting, passwordless sign-in, and the refusals (a cloned
authenticator, a wrong origin or RP id, a reused, expired or misused challenge, malformed
credentials)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection

from foundry.database.types import utcnow
from foundry.events import EventDispatcher, EventFake
from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.mfa.events import MfaDisabled, MfaEnrolled, MfaFailed, MfaVerified
from foundry.mfa.models.webauthn_challenge import WebAuthnChallenge
from foundry.testing import TestClient, TestResponse
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.support.webauthn import SoftAuthenticator, b64url

PASSWORD = "correct horse battery staple"
API = "/api/v1/auth"
#: The testbench's APP_URL is http://127.0.0.1:8000: the RP id becomes localhost.
ORIGIN = "http://localhost:8000"


async def sign_up(client: TestClient, email: str = "ada@example.com") -> dict[str, str]:
    response = await client.post(
        f"{API}/register",
        json={
            "name": "Ada",
            "email": email,
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
        },
    )
    token = response.assert_created().json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


async def register(
    client: TestClient,
    headers: dict[str, str],
    authenticator: SoftAuthenticator,
    name: str = "Laptop",
    **answer: Any,
) -> TestResponse:
    options = (await client.post(f"{API}/passkeys/register/options", headers=headers)).json()
    credential = authenticator.create(options, **answer)
    return await client.post(
        f"{API}/passkeys/register", headers=headers, json={"name": name, "credential": credential}
    )


async def login_options(client: TestClient) -> dict[str, Any]:
    response = await client.post(f"{API}/passkeys/login/options")
    return dict(response.assert_ok().json())


async def sign_in(client: TestClient, credential: dict[str, Any]) -> TestResponse:
    return await client.post(f"{API}/passkeys/login/verify", json={"credential": credential})


async def step_up(client: TestClient, headers: dict[str, str], passkey: SoftAuthenticator) -> None:
    """Sign in again with ``passkey`` (a recent second factor) and use that token in ``headers``:
    adding or removing a factor of an account that has one needs it."""
    answer = (await sign_in(client, passkey.get(await login_options(client)))).assert_ok()
    headers["Authorization"] = f"Bearer {answer.json()['access_token']}"


def claims(access_token: str) -> dict[str, Any]:
    payload = access_token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


@pytest.fixture
def events(application: Application) -> EventFake:
    return application.container.make(EventDispatcher).fake()


async def test_a_user_registers_a_passkey_and_signs_in_with_it_alone(
    client: TestClient, events: EventFake
) -> None:
    headers = await sign_up(client)
    options = (await client.post(f"{API}/passkeys/register/options", headers=headers)).json()
    assert options["rp"] == {"id": "localhost", "name": "Foundry"}
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "preferred"
    assert options["excludeCredentials"] == []

    phone = SoftAuthenticator(origin=ORIGIN)
    credential = phone.create(options)
    created = await client.post(
        f"{API}/passkeys/register",
        headers=headers,
        json={"name": "Phone", "credential": credential},
    )
    created.assert_created().assert_json_path("data.name", "Phone")
    events.assert_dispatched(MfaEnrolled, lambda e: e.method == "webauthn" and e.label == "Phone")

    listed = (await client.get(f"{API}/passkeys", headers=headers)).assert_ok()
    listed.assert_json_count(1, "data").assert_json_path(
        "data.0.transports", ["internal", "hybrid"]
    )
    listed.assert_json_missing_path("data.0.public_key")
    stale = await client.post(f"{API}/passkeys/register/options", headers=headers)
    stale.assert_forbidden().assert_json_path("error", "mfa_required")
    await step_up(client, headers, phone)
    again = (await client.post(f"{API}/passkeys/register/options", headers=headers)).json()
    assert [c["id"] for c in again["excludeCredentials"]] == [b64url(phone.credential_id)]

    options = await login_options(client)
    assert "allowCredentials" not in options or options["allowCredentials"] == []
    assert options["userVerification"] == "required"
    answer = (await sign_in(client, phone.get(options))).assert_ok()
    answer.assert_json({"status": "authenticated", "user": {"email": "ada@example.com"}})
    assert claims(answer.json()["access_token"])["amr"] == ["hwk"]
    events.assert_dispatched(MfaVerified, lambda e: e.method == "webauthn")
    me = await client.get(
        f"{API}/me", headers={"Authorization": f"Bearer {answer.json()['access_token']}"}
    )
    me.assert_ok().assert_json_path("data.email", "ada@example.com")
    used = (await client.get(f"{API}/passkeys", headers=headers)).json()["data"][0]
    assert used["last_used_at"] is not None


async def test_several_passkeys_are_named_renamed_and_deleted(
    client: TestClient, events: EventFake
) -> None:
    headers = await sign_up(client)
    laptop, key = SoftAuthenticator(origin=ORIGIN), SoftAuthenticator(origin=ORIGIN)
    (await register(client, headers, laptop, "Laptop")).assert_created()
    await step_up(client, headers, laptop)
    created = (await register(client, headers, key, "Yubikey")).assert_created()
    key_id = created.json()["data"]["id"]

    renamed = await client.patch(
        f"{API}/passkeys/{key_id}", headers=headers, json={"name": "Blue key"}
    )
    renamed.assert_ok().assert_json_path("data.name", "Blue key")
    (await client.delete(f"{API}/passkeys/{key_id}", headers=headers)).assert_no_content()
    events.assert_dispatched(MfaDisabled, lambda e: e.label == "Blue key")
    listed = (await client.get(f"{API}/passkeys", headers=headers)).json()["data"]
    assert [p["name"] for p in listed] == ["Laptop"]

    # The deleted passkey no longer signs anyone in; the other one still does.
    (await sign_in(client, key.get(await login_options(client)))).assert_unauthorized()
    (await sign_in(client, laptop.get(await login_options(client)))).assert_ok()


async def test_passkeys_of_another_user_cannot_be_touched(client: TestClient) -> None:
    ada, bob = await sign_up(client), await sign_up(client, "bob@example.com")
    created = (await register(client, ada, SoftAuthenticator(origin=ORIGIN))).assert_created()
    passkey = created.json()["data"]["id"]
    (
        await client.patch(f"{API}/passkeys/{passkey}", headers=bob, json={"name": "x"})
    ).assert_not_found()
    (await client.delete(f"{API}/passkeys/{passkey}", headers=bob)).assert_not_found()
    (await client.get(f"{API}/passkeys", headers=bob)).assert_json_count(0, "data")
    (await client.post(f"{API}/passkeys/register/options")).assert_unauthorized()


async def test_the_same_authenticator_is_not_registered_twice(client: TestClient) -> None:
    ada, bob = await sign_up(client), await sign_up(client, "bob@example.com")
    phone = SoftAuthenticator(origin=ORIGIN)
    (await register(client, ada, phone)).assert_created()
    (await register(client, bob, phone)).assert_status(409).assert_json({"error": "passkey_exists"})


async def test_a_cloned_authenticator_is_refused_and_audited(
    client: TestClient, events: EventFake
) -> None:
    headers = await sign_up(client)
    phone = SoftAuthenticator(origin=ORIGIN)
    (await register(client, headers, phone)).assert_created()
    (await sign_in(client, phone.get(await login_options(client)))).assert_ok()
    (await sign_in(client, phone.get(await login_options(client)))).assert_ok()  # counter 2

    # A copy of the key signs with the counter it had when it was copied.
    clone = phone.get(await login_options(client), sign_count=1)
    refused = (await sign_in(client, clone)).assert_unauthorized()
    refused.assert_json({"error": "cloned_authenticator"})
    assert "cloned" in refused.json()["message"]
    events.assert_dispatched(MfaFailed, lambda e: e.method == "webauthn")
    same = phone.get(await login_options(client), sign_count=2)
    (await sign_in(client, same)).assert_unauthorized().assert_json(
        {"error": "cloned_authenticator"}
    )
    # The genuine authenticator, whose counter moved on, still signs in.
    (await sign_in(client, phone.get(await login_options(client)))).assert_ok()


async def test_an_authenticator_without_a_counter_keeps_working(client: TestClient) -> None:
    headers = await sign_up(client)
    phone = SoftAuthenticator(origin=ORIGIN)
    (await register(client, headers, phone)).assert_created()
    for _ in range(2):
        (await sign_in(client, phone.get(await login_options(client), sign_count=0))).assert_ok()


async def test_a_ceremony_on_another_origin_is_refused(client: TestClient) -> None:
    headers = await sign_up(client)
    phishing = "https://login.evil.example"
    refused = await register(client, headers, SoftAuthenticator(), origin=phishing)
    refused.assert_status(400).assert_json({"error": "invalid_origin"})
    assert phishing in refused.json()["message"]

    phone = SoftAuthenticator(origin=ORIGIN)
    (await register(client, headers, phone)).assert_created()
    answer = phone.get(await login_options(client), origin=phishing)
    (await sign_in(client, answer)).assert_status(400).assert_json({"error": "invalid_origin"})


async def test_an_assertion_for_another_rp_id_is_refused(
    client: TestClient, events: EventFake
) -> None:
    headers = await sign_up(client)
    phone = SoftAuthenticator(origin=ORIGIN)
    (await register(client, headers, phone)).assert_created()
    answer = phone.get(await login_options(client), rp_id="evil.example")
    refused = (await sign_in(client, answer)).assert_status(400)
    refused.assert_json({"error": "invalid_passkey"})
    events.assert_dispatched(MfaFailed)


async def test_a_challenge_is_answered_once(client: TestClient) -> None:
    headers = await sign_up(client)
    phone = SoftAuthenticator(origin=ORIGIN)
    options = (await client.post(f"{API}/passkeys/register/options", headers=headers)).json()
    credential = phone.create(options)
    body = {"name": "Phone", "credential": credential}
    (await client.post(f"{API}/passkeys/register", headers=headers, json=body)).assert_created()

    options = await login_options(client)
    (await sign_in(client, phone.get(options))).assert_ok()
    replayed = (await sign_in(client, phone.get(options))).assert_status(400)
    replayed.assert_json({"error": "invalid_challenge"})


async def test_a_challenge_serves_only_its_purpose_and_user(client: TestClient) -> None:
    ada, bob = await sign_up(client), await sign_up(client, "bob@example.com")
    phone = SoftAuthenticator(origin=ORIGIN)
    (await register(client, ada, phone)).assert_created()
    await step_up(client, ada, phone)

    # Bob's registration challenge answered by Ada's session.
    bobs = (await client.post(f"{API}/passkeys/register/options", headers=bob)).json()
    credential = SoftAuthenticator(origin=ORIGIN).create(bobs)
    taken = await client.post(
        f"{API}/passkeys/register", headers=ada, json={"name": "x", "credential": credential}
    )
    taken.assert_status(400).assert_json({"error": "invalid_challenge"})
    # A registration challenge does not sign anyone in.
    options = (await client.post(f"{API}/passkeys/register/options", headers=ada)).json()
    (await sign_in(client, phone.get(options))).assert_status(400)


async def test_an_expired_challenge_is_refused(
    client: TestClient, application: Application, db: AsyncConnection
) -> None:
    headers = await sign_up(client)
    phone = SoftAuthenticator(origin=ORIGIN)
    (await register(client, headers, phone)).assert_created()
    options = await login_options(client)
    # Four minutes later (the default lifetime is three).
    await db.execute(update(WebAuthnChallenge).values(expires_at=utcnow() - timedelta(minutes=1)))
    (await sign_in(client, phone.get(options))).assert_status(400).assert_json(
        {"error": "invalid_challenge"}
    )


async def test_an_unknown_passkey_is_refused(client: TestClient) -> None:
    stranger = SoftAuthenticator(origin=ORIGIN, rp_id="localhost", user_handle=b"1")
    (
        await sign_in(client, stranger.get(await login_options(client)))
    ).assert_unauthorized().assert_json({"error": "unknown_passkey"})


@pytest.mark.parametrize(
    "credential",
    [
        {},
        {"id": "abc", "rawId": "abc", "type": "public-key"},
        {"id": "abc", "rawId": "abc", "type": "public-key", "response": {"clientDataJSON": 5}},
        {
            "id": "abc",
            "rawId": "abc",
            "type": "public-key",
            "response": {"clientDataJSON": "!!!", "authenticatorData": "AA", "signature": "AA"},
        },
        {
            "id": "abc",
            "rawId": "abc",
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(b'{"type": "webauthn.get", "challenge": 7, "origin": 1}'),
                "authenticatorData": "AA",
                "signature": "AA",
            },
        },
        {
            "id": "abc",
            "rawId": "abc",
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(b"\xff\xfe not json"),
                "authenticatorData": "AA",
                "signature": "AA",
            },
        },
    ],
)
async def test_a_malformed_assertion_is_a_validation_error(
    client: TestClient, credential: dict[str, Any]
) -> None:
    (await sign_in(client, credential)).assert_json_validation_errors("credential")


async def test_malformed_registrations_are_4xx(client: TestClient) -> None:
    headers = await sign_up(client)
    phone = SoftAuthenticator(origin=ORIGIN)
    options = (await client.post(f"{API}/passkeys/register/options", headers=headers)).json()
    credential = phone.create(options)
    credential["response"]["attestationObject"] = b64url(b"\x00not cbor")
    body = {"name": "x", "credential": credential}
    broken = await client.post(f"{API}/passkeys/register", headers=headers, json=body)
    broken.assert_status(400).assert_json({"error": "invalid_passkey"})
    for wrong in (
        {"name": "x"},
        {"name": "x", "credential": "text"},
        {"name": "", "credential": {}},
    ):
        response = await client.post(f"{API}/passkeys/register", headers=headers, json=wrong)
        response.assert_unprocessable()


async def test_failed_passkey_sign_ins_are_throttled_per_address(
    make_application: MakeApplication, database_url: str
) -> None:
    await migrate_database(database_url)
    application = make_application(DATABASE_URL=database_url, RATE_LIMIT_LOGIN_IP_PER_MINUTE="3")
    async with TestClient(create_app(application)) as client:
        headers = await sign_up(client)
        phone = SoftAuthenticator(origin=ORIGIN)
        (await register(client, headers, phone)).assert_created()
        for _ in range(3):
            options = await login_options(client)
            (
                await sign_in(client, phone.get(options, origin="https://evil.example"))
            ).assert_status(400)
        refused = await sign_in(client, phone.get(await login_options(client)))
        refused.assert_too_many_requests()
        assert "Retry-After" in refused.headers
