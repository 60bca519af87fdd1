"""Batches kept in Redis (``QUEUE_BATCHING=redis``): the list pages through the sorted set, and a
batch whose jobs went to an rq queue says honestly that they cannot be listed."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator

import httpx
import pytest

from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.queue import batch
from foundry.queue.batching import BatchRepository, RedisBatchRepository
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.dashboard.support import make_user, sign_in
from tests.foundry.dashboard.test_batches_api import ImportRows, dispatch
from tests.support.services import delete_rq_keys

# The database holds only the users and the database queue's jobs here: SQLite is enough.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
async def redis_batches(
    make_application: MakeApplication, database_url: str, redis_url: str
) -> AsyncIterator[tuple[Application, httpx.AsyncClient, str]]:
    """The testbench app with batches in Redis under a prefix of its own (two a page), a
    signed-in operator's client and the page's CSRF token; every key it made is deleted."""
    await migrate_database(database_url)
    prefix = f"foundry-test-{secrets.token_hex(6)}:"
    app = make_application(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        REDIS_PREFIX=prefix,
        QUEUE_BATCHING="redis",
        QUEUE_DASHBOARD_PAGE_SIZE="2",
    )
    await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(app)), base_url="http://testserver"
        ) as http:
            await sign_in(http, "ops@example.com", "/queue/batches")
            page = await http.get("/queue/batches")
            token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
            assert token is not None
            yield app, http, token.group(1)
    finally:
        await delete_rq_keys(redis_url, prefix)


async def test_redis_batches_page_newest_first_and_cancel(
    redis_batches: tuple[Application, httpx.AsyncClient, str],
) -> None:
    app, http, csrf = redis_batches
    assert isinstance(app.container.make(BatchRepository), RedisBatchRepository)
    ids = [await dispatch([ImportRows(n)], name=f"Import {n}") for n in range(3)]
    first = (await http.get("/queue/api/batches")).json()
    assert [row["id"] for row in first["data"]] == [ids[2], ids[1]]
    assert first["meta"] == {"total": 3, "page": 1, "per_page": 2, "pages": 2}
    second = (await http.get("/queue/api/batches", params={"page": 2})).json()
    assert [row["id"] for row in second["data"]] == [ids[0]]

    # Its jobs are on the database connection: listed, whatever keeps the batch.
    detail = (await http.get(f"/queue/api/batches/{ids[0]}")).json()["data"]
    assert [row["status"] for row in detail["pending"]] == ["pending"]
    cancelled = await http.post(
        f"/queue/api/batches/{ids[0]}/cancel", headers={"X-CSRF-Token": csrf}
    )
    assert cancelled.json()["data"]["status"] == "cancelled"
    assert (await http.get("/queue/api/batches/nope")).status_code == 404


async def test_jobs_on_an_rq_queue_are_counted_not_listed(
    redis_batches: tuple[Application, httpx.AsyncClient, str],
) -> None:
    _, http, _ = redis_batches
    pending = batch([ImportRows(1), ImportRows(2)]).name("On rq")
    batch_id = await pending.on_connection("redis").on_queue("imports").dispatch()
    detail = (await http.get(f"/queue/api/batches/{batch_id}")).json()["data"]
    assert detail["connection"] == "redis" and detail["pending_jobs"] == 2
    assert detail["pending"] is None
    assert "rq keeps no index of jobs by batch" in detail["pending_note"]
