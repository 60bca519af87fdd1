"""Login with a second factor, end to end over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.auth.login_claims import ACR_MFA, ACR_PWD
from foundry.kernel.application import Application
from foundry.mfa.clock import MfaClock
from foundry.mfa.models.audit_event import MfaAuditEvent
from foundry.testing import TestClient
from tests.foundry.mfa.conftest import API, bearer, login, register
from tests.foundry.mfa.support import CODES


def claims(application: Application, body: dict[str, Any]) -> dict[str, Any]:
    return dict(application.container.make(JwtService).decode(body["access_token"]).claims)


async def enrolled_user(client: TestClient, code: str = "123456") -> int:
    user_id: int = (await register(client))["user"]["id"]
    CODES[user_id] = code
    return user_id


async def test_a_user_without_a_factor_logs_in_with_a_password_only(
    client: TestClient, application: Application
) -> None:
    await register(client)
    body = await login(client)
    assert body["status"] == "authenticated"
    token = claims(application, body)
    assert token["amr"] == ["pwd"] and token["acr"] == ACR_PWD and "mfa_at" not in token


async def test_login_asks_for_the_second_factor_then_verify_logs_in(
    client: TestClient, application: Application
) -> None:
    await enrolled_user(client)
    body = await login(client)
    assert body["status"] == "mfa_required"
    assert "access_token" not in body and "refresh_token" not in body
    assert body["methods"] == ["test_code"]

    # The mfa_token is no access token.
    me = await client.get(f"{API}/me", headers={"Authorization": f"Bearer {body['mfa_token']}"})
    me.assert_unauthorized()

    verified = await client.post(
        f"{API}/mfa/verify", json={"mfa_token": body["mfa_token"], "code": "123456"}
    )
    tokens = verified.assert_ok().json()
    assert tokens["status"] == "authenticated"
    token = claims(application, tokens)
    assert token["amr"] == ["pwd", "otp"] and token["acr"] == ACR_MFA
    assert isinstance(token["mfa_at"], int) and token["auth_time"] == token["mfa_at"]
    (await client.get(f"{API}/me", headers=bearer(tokens))).assert_ok()

    # Single use: the same mfa_token never logs in twice.
    again = await client.post(
        f"{API}/mfa/verify", json={"mfa_token": body["mfa_token"], "code": "123456"}
    )
    again.assert_unauthorized().assert_json_path("error", "invalid_mfa_token")


async def test_a_wrong_code_is_refused_and_audited(
    client: TestClient, application: Application, session: AsyncSession
) -> None:
    user_id = await enrolled_user(client)
    body = await login(client)
    wrong = await client.post(
        f"{API}/mfa/verify",
        json={"mfa_token": body["mfa_token"], "code": "000000"},
        headers={"User-Agent": "pytest-agent"},
    )
    wrong.assert_unauthorized().assert_json_path("error", "invalid_second_factor")
    right = await client.post(
        f"{API}/mfa/verify", json={"mfa_token": body["mfa_token"], "code": "123456"}
    )
    right.assert_ok()

    rows = list(await session.scalars(select(MfaAuditEvent).order_by(MfaAuditEvent.id)))
    assert [(r.user_id, r.event, r.method) for r in rows] == [
        (user_id, "failed", "test_code"),
        (user_id, "verified", "test_code"),
    ]
    assert rows[0].user_agent == "pytest-agent"


async def test_the_mfa_token_is_spent_after_too_many_wrong_codes(client: TestClient) -> None:
    await enrolled_user(client)
    body = await login(client)
    for _ in range(4):
        response = await client.post(
            f"{API}/mfa/verify", json={"mfa_token": body["mfa_token"], "code": "000000"}
        )
        response.assert_json_path("error", "invalid_second_factor")
    fifth = await client.post(
        f"{API}/mfa/verify", json={"mfa_token": body["mfa_token"], "code": "000000"}
    )
    fifth.assert_unauthorized().assert_json_path("error", "invalid_mfa_token")
    late = await client.post(
        f"{API}/mfa/verify", json={"mfa_token": body["mfa_token"], "code": "123456"}
    )
    late.assert_json_path("error", "invalid_mfa_token")


async def test_a_user_is_locked_out_after_too_many_failures(
    client: TestClient, session: AsyncSession
) -> None:
    await enrolled_user(client)
    for _ in range(2):
        body = await login(client)
        for _ in range(5):
            await client.post(
                f"{API}/mfa/verify", json={"mfa_token": body["mfa_token"], "code": "000000"}
            )
    body = await login(client)
    locked = await client.post(
        f"{API}/mfa/verify", json={"mfa_token": body["mfa_token"], "code": "123456"}
    )
    locked.assert_status(429)
    events = list(await session.scalars(select(MfaAuditEvent.event)))
    assert events.count("locked_out") == 1


async def test_the_mfa_token_expires(client: TestClient, application: Application) -> None:
    await enrolled_user(client)
    clock = application.container.make(MfaClock)
    body = await login(client)
    clock.fixed = clock.now() + 301
    try:
        late = await client.post(
            f"{API}/mfa/verify", json={"mfa_token": body["mfa_token"], "code": "123456"}
        )
    finally:
        clock.fixed = None
    late.assert_unauthorized().assert_json_path("error", "invalid_mfa_token")


async def test_challenge_starts_the_method(client: TestClient) -> None:
    await enrolled_user(client)
    body = await login(client)
    started = await client.post(
        f"{API}/mfa/challenge", json={"mfa_token": body["mfa_token"], "method": "test_code"}
    )
    started.assert_ok().assert_json_path("challenge.sent", True)
    unknown = await client.post(
        f"{API}/mfa/challenge", json={"mfa_token": body["mfa_token"], "method": "carrier-pigeon"}
    )
    unknown.assert_status(422)


async def test_a_refreshed_token_keeps_the_logins_amr_and_mfa_time(
    client: TestClient, application: Application
) -> None:
    await enrolled_user(client)
    body = await login(client)
    tokens = (
        await client.post(
            f"{API}/mfa/verify", json={"mfa_token": body["mfa_token"], "code": "123456"}
        )
    ).json()
    first = claims(application, tokens)
    refreshed = await client.post(f"{API}/refresh", json={"refresh_token": tokens["refresh_token"]})
    second = claims(application, refreshed.assert_ok().json())
    for name in ("amr", "acr", "auth_time", "mfa_at"):
        assert second[name] == first[name]


async def test_status_lists_the_users_methods(client: TestClient) -> None:
    registered = await register(client)
    status = await client.get(f"{API}/mfa", headers=bearer(registered))
    status.assert_ok().assert_json_path("data.enabled", False)
    CODES[registered["user"]["id"]] = "123456"
    status = await client.get(f"{API}/mfa", headers=bearer(registered))
    status.assert_json_path("data.enabled", True).assert_json_path("data.methods", ["test_code"])
    status.assert_json_path("data.required", False)
