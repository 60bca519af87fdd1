"""Fixtures for the database tests: an app on this test's own database, with test tables."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from foundry.database import DatabaseManager
from foundry.kernel.application import Application
from tests.conftest import MakeApplication
from tests.foundry.database.models import TestModel

DATABASE_ONLY = json.dumps(["foundry.database.provider.DatabaseServiceProvider"])


@pytest.fixture
def app(make_application: MakeApplication, database_url: str) -> Application:
    """An application with only the database provider, on this test's database."""
    return make_application(DATABASE_URL=database_url, APP_PROVIDERS=DATABASE_ONLY)


@pytest.fixture
def manager(app: Application) -> DatabaseManager:
    return app.container.make(DatabaseManager)


@pytest.fixture
async def tables(manager: DatabaseManager) -> AsyncIterator[DatabaseManager]:
    """The test models' tables, created directly (not by migrations)."""
    async with manager.engine.begin() as connection:
        await connection.run_sync(TestModel.metadata.create_all)
    yield manager
    await manager.dispose()
