"""``GET /api/v1/activity`` with dates at the edge of the calendar: a 400, never a 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.permissions import Permission
from foundry.testing import TestClient
from tests.foundry.testbench.factories import UserFactory


@pytest.mark.parametrize(
    "query",
    [
        # Year 1 at +14:00 is before year 1 in UTC; year 9999 at -14:00 is after year 9999.
        "filter[since]=" + quote("0001-01-01T00:00:00+14:00"),
        "filter[until]=" + quote("9999-12-31T23:59:59-14:00"),
    ],
)
async def test_a_moment_with_no_utc_equivalent_is_a_400(
    client: TestClient, session: AsyncSession, query: str
) -> None:
    admin = await UserFactory.new().create(session)
    await Permission.create(session, name="activity.view")
    await admin.give_permission_to("activity.view", session=session)
    await session.commit()

    response = await client.acting_as(admin).get(f"/api/v1/activity?{query}")

    response.assert_status(400)
    body = response.json()
    assert body["error"] == "bad_request"
    assert "ISO 8601" in body["message"]


async def test_the_widest_representable_range_still_answers(
    client: TestClient, session: AsyncSession
) -> None:
    admin = await UserFactory.new().create(session)
    await Permission.create(session, name="activity.view")
    await admin.give_permission_to("activity.view", session=session)
    await session.commit()

    response = await client.acting_as(admin).get(
        "/api/v1/activity?filter[since]=0001-01-01&filter[until]=9999-12-31"
    )

    response.assert_ok()
    assert response.json()["meta"]["total"] >= 1  # the grant above is in the access log
