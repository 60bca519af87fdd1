"""Queue test fixtures: an app on a migrated database with the queue tables."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest

from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.queue.sample_jobs import Journal


@pytest.fixture(autouse=True)
def clear_journal() -> None:
    """Each test starts with an empty journal."""
    Journal.entries.clear()


@pytest.fixture
async def queue_app(
    make_application: MakeApplication, database_url: str
) -> AsyncIterator[Application]:
    """An app whose default queue connection is the migrated database (committed for real)."""
    await migrate_database(database_url)
    yield make_application(DATABASE_URL=database_url, QUEUE_RETRY_AFTER="5")


@pytest.fixture
def manager(queue_app: Application) -> QueueManager:
    """The app's queue manager."""
    return queue_app.container.make(QueueManager)


@pytest.fixture
async def rq_prefix(redis_url: str) -> AsyncIterator[str]:
    """A Redis prefix for rq queue names; every rq key naming it is deleted afterwards."""
    from redis.asyncio import Redis

    prefix = f"foundry-test-{secrets.token_hex(6)}:"
    yield prefix
    client = Redis.from_url(redis_url)
    try:
        keys = [key async for key in client.scan_iter(match=f"*{prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
