"""Step-up (``require_mfa``), recovery codes and the enrolment policy, over HTTP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.auth.user_provider import UserProvider
from foundry.events import EventDispatcher
from foundry.kernel.application import Application
from foundry.mfa.clock import MfaClock
from foundry.mfa.events import MfaEnrolled
from foundry.mfa.factors import MfaClient
from foundry.mfa.models.audit_event import MfaAuditEvent
from foundry.permissions import Role
from foundry.testing import TestClient
from tests.foundry.mfa.conftest import API, PASSWORD, bearer, login, register
from tests.foundry.mfa.support import CODES

NEW_PASSWORD = "another long passphrase here"


async def mfa_login(client: TestClient, code: str) -> dict[str, Any]:
    body = await login(client)
    verified = await client.post(
        f"{API}/mfa/verify", json={"mfa_token": body["mfa_token"], "code": code}
    )
    result: dict[str, Any] = verified.assert_ok().json()
    return result


def change_password(headers: dict[str, str]) -> dict[str, Any]:
    return {
        "json": {
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
        "headers": headers,
    }


async def test_a_user_without_mfa_changes_the_password_without_step_up(client: TestClient) -> None:
    registered = await register(client)
    changed = await client.post(f"{API}/password", **change_password(bearer(registered)))
    changed.assert_ok()


async def test_password_change_needs_a_recent_second_factor(
    client: TestClient, application: Application
) -> None:
    registered = await register(client)
    CODES[registered["user"]["id"]] = "111111"
    # A password-only session of a user who has MFA: step up first.
    refused = await client.post(f"{API}/password", **change_password(bearer(registered)))
    refused.assert_forbidden().assert_json_path("error", "mfa_required")

    tokens = await mfa_login(client, "111111")
    clock = application.container.make(MfaClock)
    clock.fixed = clock.now() + 901  # the MFA time is too old now
    try:
        stale = await client.post(f"{API}/password", **change_password(bearer(tokens)))
        stale.assert_forbidden().assert_json_path("error", "mfa_required")
    finally:
        clock.fixed = None

    CODES[registered["user"]["id"]] = "222222"
    stepped = await client.post(
        f"{API}/mfa/step-up", json={"code": "222222"}, headers=bearer(tokens)
    )
    fresh = stepped.assert_ok().json()
    # The old session ended; the new one may change the password.
    (await client.get(f"{API}/me", headers=bearer(tokens))).assert_unauthorized()
    changed = (await client.post(f"{API}/password", **change_password(bearer(fresh)))).assert_ok()
    # The new pair keeps the session's strength and MFA time.
    jwt = application.container.make(JwtService)
    before, after = jwt.decode(fresh["access_token"]), jwt.decode(changed.json()["access_token"])
    assert after.get("amr") == ["pwd", "otp"] and after.get("mfa_at") == before.get("mfa_at")


async def test_step_up_with_a_wrong_code_is_refused(client: TestClient) -> None:
    registered = await register(client)
    CODES[registered["user"]["id"]] = "111111"
    tokens = await mfa_login(client, "111111")
    wrong = await client.post(f"{API}/mfa/step-up", json={"code": "999999"}, headers=bearer(tokens))
    wrong.assert_unauthorized().assert_json_path("error", "invalid_second_factor")


async def test_recovery_codes_are_made_on_enrolment_shown_once_and_single_use(
    client: TestClient, application: Application, session: AsyncSession
) -> None:
    registered = await register(client)
    user_id = registered["user"]["id"]
    CODES[user_id] = "111111"
    user = await application.container.make(UserProvider).find(session, user_id)
    assert user is not None
    async with application.container.scope():
        await application.container.make(EventDispatcher).dispatch(
            MfaEnrolled(user, "test_code", MfaClient())
        )
    status = await client.get(f"{API}/mfa", headers=bearer(registered))
    status.assert_json_path("data.recovery_codes_remaining", 10)

    tokens = await mfa_login(client, "111111")
    made = await client.post(f"{API}/mfa/recovery-codes", headers=bearer(tokens))
    codes = made.assert_ok().json()["data"]["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10

    body = await login(client)
    assert body["methods"] == ["recovery_code", "test_code"]
    used = await client.post(
        f"{API}/mfa/verify",
        json={"mfa_token": body["mfa_token"], "recovery_code": codes[0].upper()},
    )
    answer = used.assert_ok().json()
    assert answer["recovery_codes_remaining"] == 9 and "recovery code" in answer["warning"]

    body = await login(client)
    again = await client.post(
        f"{API}/mfa/verify", json={"mfa_token": body["mfa_token"], "recovery_code": codes[0]}
    )
    again.assert_unauthorized()
    events = list(await session.scalars(select(MfaAuditEvent.event).order_by(MfaAuditEvent.id)))
    assert "recovery_code_used" in events and events[-1] == "failed"


async def test_recovery_codes_need_a_recent_second_factor(client: TestClient) -> None:
    registered = await register(client)
    CODES[registered["user"]["id"]] = "111111"
    refused = await client.post(f"{API}/mfa/recovery-codes", headers=bearer(registered))
    refused.assert_forbidden().assert_json_path("error", "mfa_required")


async def test_an_admin_past_the_grace_period_gets_an_enrolment_only_token(
    client: TestClient, application: Application, session: AsyncSession
) -> None:
    registered = await register(client)
    user = await application.container.make(UserProvider).find(session, registered["user"]["id"])
    assert user is not None
    await Role.create(session, name="admin")
    await user.assign_role("admin", session=session)
    await session.commit()

    in_grace = await login(client)
    assert in_grace["status"] == "authenticated" and "mfa_enrolment_due" in in_grace

    clock = application.container.make(MfaClock)
    clock.fixed = clock.now() + timedelta(days=8).total_seconds()
    try:
        body = await login(client)
    finally:
        clock.fixed = None
    assert body["status"] == "mfa_enrolment_required" and "refresh_token" not in body
    assert "test_code" in body["methods"] and "recovery_code" not in body["methods"]
    me = await client.get(f"{API}/me", headers=bearer(body))
    me.assert_forbidden().assert_json_path("error", "mfa_enrolment_required")
    # Enrolment routes (EnrolmentUser) accept it.
    status = await client.get(f"{API}/mfa", headers=bearer(body))
    status.assert_ok().assert_json_path("data.required", True)
