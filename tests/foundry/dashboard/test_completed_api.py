"""``GET /queue/api/jobs/completed``: jobs run by a real worker appear, newest first, without
their payload; the queue filter, pages, bad input and the gate (SQLite and PostgreSQL)."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx
import pytest

from foundry.http.app import create_app
from foundry.jobs.job import Job
from foundry.jobs.pending import DispatchOptions
from foundry.kernel.application import Application
from foundry.queue.manager import QueueManager
from foundry.testing.database import migrate_database
from foundry.testing.queue import work_queue
from tests.conftest import MakeApplication
from tests.foundry.dashboard.sample_jobs import SendInvoice
from tests.foundry.dashboard.support import make_user, queue, sign_in
from tests.foundry.queue.processes import start_worker
from tests.support.services import delete_rq_keys

SECRET = "tok_live_4242424242"


class ShipOrder(Job):
    """Succeeds; carries a value that must never reach the completed jobs' records."""

    def __init__(self, order: int, token: str = "") -> None:
        self.order = order
        self.token = token

    async def handle(self) -> None:
        return None


@pytest.fixture
async def operator(dashboard_app: Application, browser: httpx.AsyncClient) -> None:
    """Sign ``ops@example.com`` (``queue.dashboard``) in."""
    await make_user(dashboard_app, "ops@example.com", permissions=["queue.dashboard"])
    await sign_in(browser, "ops@example.com", "/queue/jobs")


async def test_jobs_a_worker_ran_are_listed_newest_first(
    dashboard_app: Application, browser: httpx.AsyncClient, operator: None
) -> None:
    empty = await browser.get("/queue/api/jobs/completed")
    assert empty.status_code == 200 and empty.headers["cache-control"] == "no-store"
    assert empty.json()["data"] == [] and empty.json()["meta"]["retention_minutes"] == 60

    first = await queue(dashboard_app, ShipOrder(1, SECRET), on="orders")
    await queue(dashboard_app, SendInvoice(7), on="mail")  # fails: not completed
    await work_queue(dashboard_app, "database", queues=["orders", "mail"], timeout=3)
    second = await queue(dashboard_app, ShipOrder(2, SECRET), on="orders")
    third = await queue(dashboard_app, ShipOrder(3), on="shipping")
    await work_queue(dashboard_app, "database", queues=["orders", "shipping"], timeout=3)

    listed = await browser.get("/queue/api/jobs/completed")
    body = listed.json()
    assert {row["uuid"] for row in body["data"][:2]} == {second, third}
    assert [row["uuid"] for row in body["data"]][2:] == [first]
    row = next(row for row in body["data"] if row["uuid"] == first)
    assert row["name"] == "ShipOrder"
    assert (row["connection"], row["queue"], row["attempts"]) == ("database", "orders", 1)
    assert row["runtime_ms"] >= 0 and row["finished_at"] > 0
    assert set(row) == {
        "uuid",
        "name",
        "connection",
        "queue",
        "runtime_ms",
        "attempts",
        "finished_at",
    }
    assert SECRET not in listed.text and "payload" not in listed.text
    assert body["meta"] == {
        "page": 1,
        "per_page": 100,
        "has_more": False,
        "unavailable": {},
        "retention_minutes": 60,
    }

    orders = (await browser.get("/queue/api/jobs/completed", params={"queue": "orders"})).json()
    assert [row["uuid"] for row in orders["data"]] == [second, first]
    later = await browser.get("/queue/api/jobs/completed", params={"page": "2"})
    assert later.json()["data"] == [] and later.json()["meta"]["page"] == 2


async def test_pages_of_the_configured_size(make_application: object, database_url: str) -> None:
    from foundry.http.app import create_app
    from foundry.testing.database import migrate_database
    from tests.conftest import MakeApplication

    assert callable(make_application)
    make: MakeApplication = make_application
    await migrate_database(database_url)
    app = make(DATABASE_URL=database_url, QUEUE_DASHBOARD_PAGE_SIZE="2")
    await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
    uuids = [await queue(app, ShipOrder(n)) for n in range(3)]
    await work_queue(app, "database", timeout=3)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(app)), base_url="http://testserver"
    ) as http:
        await sign_in(http, "ops@example.com", "/queue/jobs")
        one = (await http.get("/queue/api/jobs/completed")).json()
        two = (await http.get("/queue/api/jobs/completed", params={"page": 2})).json()
    assert len(one["data"]) == 2 and one["meta"]["has_more"] is True
    assert len(two["data"]) == 1 and two["meta"]["has_more"] is False
    listed = {row["uuid"] for row in one["data"] + two["data"]}
    assert listed == set(uuids)


@pytest.mark.parametrize(
    "params",
    [{"page": "0"}, {"page": "abc"}, {"page": "1001"}, {"queue": "q" * 256}],
)
async def test_bad_input_is_a_422(
    browser: httpx.AsyncClient, operator: None, params: dict[str, str]
) -> None:
    refused = await browser.get("/queue/api/jobs/completed", params=params)
    assert refused.status_code == 422
    assert set(refused.json()) == {"message", "errors"}


async def test_users_without_the_permission_are_refused(
    dashboard_app: Application, browser: httpx.AsyncClient
) -> None:
    await make_user(dashboard_app, "plain@example.com")
    await sign_in(browser, "plain@example.com", "/queue/jobs")
    assert (await browser.get("/queue/api/jobs/completed")).status_code == 403


async def test_jobs_an_rq_worker_ran_are_listed_from_redis(
    make_application: MakeApplication, redis_url: str, tmp_path: Path
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'users.sqlite'}"
    await migrate_database(database_url)
    prefix = f"foundry-test-{secrets.token_hex(6)}:"
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": prefix,
        "QUEUE_CONNECTION": "redis",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    app = make_application(**env)
    try:
        await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
        manager = app.container.make(QueueManager)
        uuid = await manager.push(ShipOrder(1, SECRET), DispatchOptions(queue="orders"))
        log = tmp_path / "worker.log"
        worker = start_worker(env, log, "--stop-when-empty", "--queue", "orders")
        assert worker.wait(60) == 0, log.read_text()
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(app)), base_url="http://testserver"
        ) as http:
            await sign_in(http, "ops@example.com", "/queue/jobs")
            listed = await http.get("/queue/api/jobs/completed", params={"queue": "orders"})
        [row] = listed.json()["data"]
        assert (row["uuid"], row["name"], row["connection"]) == (uuid, "ShipOrder", "redis")
        assert SECRET not in listed.text
    finally:
        await delete_rq_keys(redis_url, prefix)
