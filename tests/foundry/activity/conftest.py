"""Fixtures: the test models' tables inside the test's transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.activity import Activity
from tests.foundry.activity.models import ActivityTestModel


@pytest.fixture
async def articles(db: AsyncConnection, session: AsyncSession) -> AsyncSession:
    """The scope's session, with the test models' tables created."""
    await db.run_sync(ActivityTestModel.metadata.create_all)
    return session


async def entries(session: AsyncSession) -> list[Activity]:
    """Every entry, oldest first, read fresh."""
    session.expunge_all()
    return list((await session.scalars(select(Activity).order_by(Activity.id))).all())
