"""``GET /api/v1/activity``: filters, sorts, pages, and the ``activity.view`` permission."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.activity import Activity, activity
from foundry.permissions import Permission
from foundry.testing import TestClient
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User


async def _admin(session: AsyncSession) -> User:
    admin = await UserFactory.new().create(session)
    await Permission.create(session, name="activity.view")
    await admin.give_permission_to("activity.view", session=session)
    await session.commit()
    return admin


async def _seed(session: AsyncSession, admin: User, other: User) -> None:
    await activity("auth").performed_on(admin).caused_by(admin).event("login").log("Logged in")
    await activity("auth").caused_by(other).event("logout").log("Logged out")
    entry = await activity("billing").caused_by(admin).event("paid").log("Invoice paid")
    assert entry is not None
    entry.created_at = datetime(2020, 1, 15, 12, tzinfo=UTC)  # an old entry
    await session.commit()


async def test_without_the_permission_the_log_is_403(
    client: TestClient, session: AsyncSession
) -> None:
    user = await UserFactory.new().create(session)
    await session.commit()
    response = await client.acting_as(user).get("/api/v1/activity")
    response.assert_status(403)
    assert response.json()["error"] == "missing_permission"
    (await client.without_token().get("/api/v1/activity")).assert_status(403)


async def test_filters_by_log_causer_subject_event_and_dates(
    client: TestClient, session: AsyncSession
) -> None:
    admin = await _admin(session)
    other = await UserFactory.new().create(session)
    await session.commit()
    await _seed(session, admin, other)
    client.acting_as(admin)

    async def descriptions(query: str) -> list[str]:
        response = await client.get(f"/api/v1/activity?{query}")
        response.assert_ok()
        return [item["description"] for item in response.json()["data"]]

    assert await descriptions("filter[log]=auth") == ["Logged out", "Logged in"]
    assert await descriptions(f"filter[causer]=users:{other.id}") == ["Logged out"]
    # The grant of activity.view is in the access log, with the admin as its subject.
    assert await descriptions(f"filter[subject]=users:{admin.id}") == [
        "Logged in",
        "Permissions granted",
    ]
    assert await descriptions("filter[event]=paid,login&sort=id") == ["Logged in", "Invoice paid"]
    assert await descriptions("filter[until]=2020-01-15") == ["Invoice paid"]
    today = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    assert await descriptions(f"filter[since]={today}&filter[log]=auth,billing") == [
        "Logged out",
        "Logged in",
    ]
    page = await client.get("/api/v1/activity?per_page=1&page=2&filter[log]=auth")
    page.assert_ok()
    assert page.json()["meta"]["total"] == 2
    assert [item["event"] for item in page.json()["data"]] == ["login"]
    first = page.json()["data"][0]
    assert first["subject_type"] == "users" and first["causer_id"] == str(admin.id)


async def test_bad_filters_are_400_not_500(client: TestClient, session: AsyncSession) -> None:
    admin = await _admin(session)
    client.acting_as(admin)
    for query in (
        "filter[causer]=5",
        "filter[since]=yesterday",
        "filter[nope]=1",
        "sort=description",
        "filter[batch]=not-a-uuid",
    ):
        response = await client.get(f"/api/v1/activity?{query}")
        response.assert_status(400)
        assert "message" in response.json()


async def test_request_user_is_the_causer_of_what_the_request_logs(
    client: TestClient, session: AsyncSession
) -> None:
    user = await UserFactory.new().create(session)
    await session.commit()
    created = await client.acting_as(user).post(
        "/api/v1/personal-access-tokens", json={"name": "cli", "scopes": ["profile"]}
    )
    created.assert_status(201)
    session.expunge_all()
    found = (await session.scalars(Activity.for_event("token_created"))).one()
    assert found.log_name == "access"
    assert (found.causer_type, found.causer_id) == ("users", str(user.id))
    assert found.subject_id == str(created.json()["data"]["id"])
    assert "access_token" not in str(found.properties)
