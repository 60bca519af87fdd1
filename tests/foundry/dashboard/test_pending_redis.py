"""Pending jobs of a redis (rq) connection, read with rq's own API; an unreachable Redis is a
notice on the page, not a 500."""

from __future__ import annotations

import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from foundry.http.app import create_app
from foundry.jobs.pending import DispatchOptions
from foundry.kernel.application import Application
from foundry.queue.manager import QueueManager
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.dashboard.sample_jobs import ChargeCard, SendInvoice
from tests.foundry.dashboard.support import make_user, sign_in
from tests.support.services import delete_rq_keys

# The database holds only the users here: SQLite is enough.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

SECRET = "tok_live_4242424242"


@pytest.fixture
async def rq_app(
    make_application: MakeApplication, database_url: str, redis_url: str
) -> AsyncIterator[tuple[Application, list[str]]]:
    """The testbench app with a redis queue connection under a prefix of its own; every rq key
    of it (queues, registries, and the jobs whose uuids the test adds to the list) is deleted
    afterwards."""
    await migrate_database(database_url)
    prefix = f"foundry-test-{secrets.token_hex(6)}:"
    app = make_application(DATABASE_URL=database_url, REDIS_URL=redis_url, REDIS_PREFIX=prefix)
    pushed: list[str] = []
    yield app, pushed
    await delete_rq_keys(redis_url, prefix, jobs=pushed)


@asynccontextmanager
async def _signed_in(app: Application) -> AsyncIterator[httpx.AsyncClient]:
    await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(app)), base_url="http://testserver"
    ) as http:
        await sign_in(http, "ops@example.com", "/queue")
        yield http


async def test_waiting_and_scheduled_rq_jobs_are_listed(
    rq_app: tuple[Application, list[str]],
) -> None:
    app, pushed = rq_app
    manager = app.container.make(QueueManager)
    now = await manager.push(ChargeCard("ada", SECRET), DispatchOptions("redis", "billing"))
    later = await manager.push(
        SendInvoice(1), DispatchOptions("redis", "mail", available_at=time.time() + 3600)
    )
    assert now is not None and later is not None
    pushed += [now, later]
    async with _signed_in(app) as http:
        body = (await http.get("/queue/api/jobs/pending")).json()
        assert body["meta"]["connections"] == ["database", "redis"]
        rows = {row["uuid"]: row for row in body["data"]}
        assert rows[now]["connection"] == "redis" and rows[now]["status"] == "pending"
        assert rows[now]["queue"] == "billing"
        assert rows[later]["status"] == "delayed"
        mail = (await http.get("/queue/api/jobs/pending", params={"queue": "mail"})).json()
        assert [row["uuid"] for row in mail["data"]] == [later]
        detail = await http.get(f"/queue/api/jobs/pending/{now}")
        assert detail.json()["data"]["payload"]["data"]["card_token"] == "redacted"
        assert SECRET not in detail.text


async def test_an_unreachable_redis_is_reported_not_a_500(
    make_application: MakeApplication, database_url: str
) -> None:
    await migrate_database(database_url)
    app = make_application(
        DATABASE_URL=database_url,
        REDIS_URL="redis://127.0.0.1:1/0",  # nothing listens on port 1
        REDIS_RETRIES="0",
        REDIS_CONNECT_TIMEOUT="0.5",
    )
    async with _signed_in(app) as http:
        answer = await http.get("/queue/api/jobs/pending")
        assert answer.status_code == 200
        assert "redis" in answer.json()["meta"]["unavailable"]
        assert answer.json()["data"] == []
