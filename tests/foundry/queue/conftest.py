"""Queue test fixtures: an app on a migrated database with the queue tables."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.console.helpers import artisan
from tests.foundry.queue.sample_jobs import Journal
from tests.support.services import delete_rq_keys


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
    prefix = f"foundry-test-{secrets.token_hex(6)}:"
    yield prefix
    await delete_rq_keys(redis_url, prefix)


@pytest.fixture
def worker_retry_after() -> str:
    """``QUEUE_RETRY_AFTER`` for worker processes; a module overrides it for longer jobs."""
    return "3"


@pytest.fixture
async def worker_env(
    database_url: str, tmp_path: Path, worker_retry_after: str
) -> AsyncIterator[dict[str, str]]:
    """The environment of worker processes on the migrated database (``artisan queue:work``)."""
    await migrate_database(database_url)
    yield {
        "DATABASE_URL": database_url,
        "QUEUE_RETRY_AFTER": worker_retry_after,
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
    }


@pytest.fixture
def redis_worker_env(worker_env: dict[str, str], redis_url: str, rq_prefix: str) -> dict[str, str]:
    """``worker_env`` with the redis (rq) connection as the default queue."""
    return {
        **worker_env,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": rq_prefix,
        "QUEUE_CONNECTION": "redis",
    }


@pytest.fixture
def artisan_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A migrated SQLite database and a file cache, exported for in-process ``artisan`` runs."""
    values = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'queue.sqlite'}",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
        "QUEUE_RETRY_AFTER": "10",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    assert artisan("migrate").exit_code == 0
    return values
