"""schemathesis over every operation of the test application's API, signed in as an admin.

The four checks (no 5xx; status code, content type and body as documented) run on a few
deterministic cases an operation. Nothing is excluded: each case gets a fresh login token,
so logging out or changing the password in one case does not sign the next one out.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.testing import TestClient
from tests.foundry.testbench.factories import UserFactory
from tests.support.openapi_conformance import assert_every_operation_conforms


async def test_every_operation_answers_as_documented(
    client: TestClient, session: AsyncSession
) -> None:
    admin = await UserFactory.new().create(session)
    await assert_every_operation_conforms(client, session, admin)
