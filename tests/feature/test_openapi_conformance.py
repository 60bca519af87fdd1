"""schemathesis over every operation of the application's API (what `make dev` serves), signed in as an admin.

The four checks (no 5xx; status code, content type and body as documented) run on a few
deterministic cases an operation. Nothing is excluded: each case gets a fresh login token,
so logging out or changing the password in one case does not sign the next one out.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from database.factories import UserFactory
from foundry.permissions import Permission
from foundry.testing import TestClient
from tests.support.openapi_conformance import generate_cases, run_conformance

#: Enough to reach the success answers of the admin routes, not only their 403s.
ADMIN_PERMISSIONS = ("users.view", "users.manage-access", "roles.manage", "permissions.manage")


async def test_every_operation_answers_as_documented(
    client: TestClient, session: AsyncSession
) -> None:
    admin = await UserFactory.new().create(session)
    for name in ADMIN_PERMISSIONS:
        await Permission.create(session, name=name)
        await admin.give_permission_to(name, session=session)
    await session.commit()
    document = (await client.get("/openapi.json")).assert_ok().json()
    cases = generate_cases(document)

    report = await run_conformance(client, cases, lambda c: c.acting_as(admin))

    assert report.failures == [], "\n".join(report.failures)
    # Every operation was exercised, and signed in: successes, not only refusals.
    operations = sum(len(item) for item in document["paths"].values())
    assert report.sent >= operations
    assert sum(n for status, n in report.statuses.items() if status < 300) > operations // 2
