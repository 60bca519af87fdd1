"""The framework's audit trail: logins, failures, password changes, logouts and MFA events."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.activity import Activity
from foundry.events import EventDispatcher
from foundry.kernel.application import Application
from foundry.mfa.events import MfaEnrolled
from foundry.mfa.factors import MfaClient
from foundry.testing import TestClient
from tests.foundry.testbench.factories import UserFactory

NEW_PASSWORD = "a much longer passphrase 42"


async def _auth_log(session: AsyncSession) -> list[Activity]:
    session.expunge_all()
    stmt = Activity.in_log("auth").order_by(Activity.id)
    return list((await session.scalars(stmt)).all())


async def test_logins_failures_password_changes_and_logouts_are_audited(
    client: TestClient, session: AsyncSession
) -> None:
    ada = await UserFactory.new().create(session, email="ada@example.com")
    await session.commit()
    failed = await client.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": "wrong"}
    )
    failed.assert_status(401)
    login = await client.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": "password"}
    )
    login.assert_ok()
    client.with_token(login.json()["access_token"])
    changed = await client.post(
        "/api/v1/auth/password",
        json={
            "current_password": "password",
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )
    changed.assert_ok()
    client.with_token(changed.json()["access_token"])
    (await client.post("/api/v1/auth/logout")).assert_status(204)

    found = await _auth_log(session)
    assert [entry.event for entry in found] == [
        "login_failed",
        "login",
        "password_changed",
        "logout",
    ]
    assert found[0].causer_id is None
    assert found[0].properties["email"] == "ada@example.com"
    for entry in found[1:]:
        assert (entry.causer_type, entry.causer_id) == ("users", str(ada.id))
        assert (entry.subject_type, entry.subject_id) == ("users", str(ada.id))
    text = " ".join(str(entry.properties) for entry in found)
    assert "wrong" not in text and NEW_PASSWORD not in text


async def test_mfa_events_go_to_the_auth_log(
    application: Application, session: AsyncSession
) -> None:
    ada = await UserFactory.new().create(session)
    await session.commit()
    events = application.container.make(EventDispatcher)
    await events.dispatch(MfaEnrolled(ada, "totp", MfaClient(ip="10.0.0.1"), label="Phone"))
    [entry] = await _auth_log(session)
    assert entry.event == "mfa_enrolled"
    assert entry.causer_id == str(ada.id)
    assert entry.properties == {
        "method": "totp",
        "label": "Phone",
        "ip": "10.0.0.1",
        "user_agent": None,
    }
