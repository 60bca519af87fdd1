"""Fixtures of the dashboard tests: the test application on a migrated database of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication


@pytest.fixture
async def dashboard_app(
    make_application: MakeApplication, database_url: str
) -> AsyncIterator[Application]:
    """The testbench app on a migrated database (committed for real, as a worker sees it)."""
    await migrate_database(database_url)
    yield make_application(DATABASE_URL=database_url)


@pytest.fixture
async def browser(dashboard_app: Application) -> AsyncIterator[httpx.AsyncClient]:
    """A cookie-keeping client of the full app, in process."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(dashboard_app)), base_url="http://testserver"
    ) as client:
        yield client
