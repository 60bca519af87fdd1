"""``pytest.mark.usefixtures("refresh_database")``: every test starts on a migrated, empty
database, and what it commits is gone for the next one (issue 16, item 12)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.kernel.application import Application
from foundry.testing import assert_database_count
from tests.foundry.testbench.factories import UserFactory

pytestmark = pytest.mark.usefixtures("refresh_database")


async def _commit_a_user(application: Application) -> None:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        await UserFactory.new().create(session)
        await session.commit()
        await assert_database_count(session, "users", 1)


async def test_a_commit_is_seen_inside_the_test(application: Application) -> None:
    await _commit_a_user(application)


async def test_and_gone_for_the_next_one(application: Application) -> None:
    # Run in either order, each test finds the table empty before its own commit.
    await _commit_a_user(application)
