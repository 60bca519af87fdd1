"""The Overview and Workers endpoints: the gate, and the numbers after a known workload run by
the in-process worker (database metrics store on SQLite/PostgreSQL; Redis store and queue)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.queue.metrics import RELATIVE_ERROR, QueueMetrics
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.dashboard.monitoring_support import beat, run_workload
from tests.foundry.dashboard.support import make_user, queue, sign_in
from tests.foundry.queue.sample_jobs import SleepJob


async def signed_in(app: Application) -> AsyncIterator[httpx.AsyncClient]:
    await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(app)), base_url="http://testserver"
    ) as http:
        await sign_in(http, "ops@example.com", "/queue")
        yield http
    await app.container.make(QueueMetrics).aclose()


@pytest.fixture
async def database_app(
    make_application: MakeApplication, database_url: str
) -> AsyncIterator[Application]:
    await migrate_database(database_url)
    yield make_application(
        DATABASE_URL=database_url, QUEUE_METRICS_STORE="database", QUEUE_RETRY_AFTER="5"
    )


@pytest.fixture
async def database_http(database_app: Application) -> AsyncIterator[httpx.AsyncClient]:
    async for http in signed_in(database_app):
        yield http


def by_queue(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["queue"]: row for row in body["data"]["queues"]}


async def test_guests_and_users_without_the_gate_are_refused(
    database_app: Application, tmp_path: Path
) -> None:
    await make_user(database_app, "intern@example.com")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(database_app)), base_url="http://testserver"
    ) as http:
        for path in ("/queue/api/overview", "/queue/api/workers", "/queue/api/metrics"):
            assert (await http.get(path)).status_code == 401
        assert "/oauth/login" in (await http.get("/queue")).headers["location"]
        await sign_in(http, "intern@example.com", "/queue")
        for path in ("/queue/api/overview", "/queue/api/workers", "/queue/api/metrics"):
            answer = await http.get(path)
            assert answer.status_code == 403 and "message" in answer.json()
        assert (await http.get("/queue/workers")).status_code == 403


async def test_overview_after_a_known_workload(
    database_app: Application, database_http: httpx.AsyncClient, tmp_path: Path
) -> None:
    page = await database_http.get("/queue")
    assert page.status_code == 200 and 'data-view="overview"' in page.text
    assert 'type="module"' in page.text

    empty = (await database_http.get("/queue/api/overview")).json()
    assert empty["meta"] == {"metrics": "on"}
    assert empty["data"]["stats"]["jobs_last_hour"] == 0
    assert empty["data"]["workers"] == []
    assert by_queue(empty)["default"]["status"] == "idle"

    await run_workload(database_app, tmp_path / "out.txt")
    await queue(database_app, SleepJob("later", 0.01, str(tmp_path / "x")), on="reports")
    body = (await database_http.get("/queue/api/overview")).json()["data"]
    stats = body["stats"]
    assert (stats["jobs_last_hour"], stats["failed_last_hour"]) == (8, 2)
    assert stats["failed_last_7_days"] == 2 and stats["jobs_per_minute"] == 8 / 5
    assert (stats["active_workers"], stats["pending"]) == (0, 1)
    queues = by_queue({"data": body})
    default, emails, reports = queues["default"], queues["emails"], queues["reports"]
    assert (default["processed"], default["failed"], default["pending"]) == (6, 0, 0)
    assert default["throughput"] == pytest.approx(6 / 60)
    # Percentiles come from a histogram: within RELATIVE_ERROR of the 10 ms the jobs slept.
    assert default["runtime_avg_ms"] >= 10
    assert default["runtime_p95_ms"] >= 10 * (1 - RELATIVE_ERROR)
    assert (emails["processed"], emails["failed"]) == (0, 2)
    assert default["status"] == "idle" and default["paused"] is False
    # A job waits and no worker serves its queue: the red status.
    assert (reports["pending"], reports["status"], reports["workers"]) == (1, "no workers", 0)
    assert reports["oldest_wait"] is not None and reports["oldest_wait"] >= 0

    await beat(database_app, "reports-worker", ("reports",), current_job="reports: SleepJob [17]")
    await beat(database_app, "crashed", ("default",), silent_for=900)
    body = (await database_http.get("/queue/api/overview")).json()["data"]
    assert body["stats"]["active_workers"] == 1
    assert [w["name"] for w in body["workers"]] == ["reports-worker"]
    reports = by_queue({"data": body})["reports"]
    assert (reports["status"], reports["workers"]) == ("running", 1)
    assert by_queue({"data": body})["default"]["status"] == "idle"


async def test_workers_live_first_then_gone(
    database_app: Application, database_http: httpx.AsyncClient
) -> None:
    assert (await database_http.get("/queue/api/workers")).json()["data"] == []
    page = await database_http.get("/queue/workers")
    assert page.status_code == 200 and 'data-view="workers"' in page.text
    await beat(database_app, "crashed", ("default",), silent_for=900)
    await beat(database_app, "mailer", ("emails", "default"), current_job="emails: Mail [42]")
    rows = (await database_http.get("/queue/api/workers")).json()["data"]
    assert [(row["name"], row["alive"]) for row in rows] == [("mailer", True), ("crashed", False)]
    mailer = rows[0]
    assert (mailer["host"], mailer["queues"], mailer["jobs_done"]) == (
        "host-1",
        ["emails", "default"],
        7,
    )
    assert mailer["memory_mb"] == 48.2 or mailer["memory_mb"] == 48.3
    assert mailer["current"] == {"queue": "emails", "job": "Mail", "id": "42"}
    assert rows[1]["silent_for"] >= 900 and rows[1]["current"] is None


async def test_metrics_off_is_said_not_an_error(
    make_application: MakeApplication, database_url: str
) -> None:
    await migrate_database(database_url)
    app = make_application(DATABASE_URL=database_url, QUEUE_METRICS_STORE="off")
    async for http in signed_in(app):
        for path in ("/queue/api/overview", "/queue/api/workers", "/queue/api/metrics"):
            answer = await http.get(path)
            assert answer.status_code == 200
            assert answer.json() == {"data": None, "meta": {"metrics": "off"}}


async def test_redis_metrics_store(
    make_application: MakeApplication, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}"
    await migrate_database(database_url)
    app = make_application(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        REDIS_PREFIX=redis_prefix,
        QUEUE_METRICS_STORE="redis",
        QUEUE_RETRY_AFTER="5",
    )
    assert app.container.make(QueueMetrics).kind == "redis"
    await run_workload(app, tmp_path / "out.txt")
    await beat(app, "rq-worker", ("default", "emails"))
    async for http in signed_in(app):
        body = (await http.get("/queue/api/overview")).json()["data"]
        assert (body["stats"]["jobs_last_hour"], body["stats"]["failed_last_7_days"]) == (8, 2)
        queues = by_queue({"data": body})
        assert queues["default"]["connection"] == "database"
        assert (queues["default"]["processed"], queues["default"]["status"]) == (6, "running")
        assert queues["emails"]["failed"] == 2
        workers = (await http.get("/queue/api/workers")).json()["data"]
        assert [w["name"] for w in workers] == ["rq-worker"]
        chart = (await http.get("/queue/api/metrics", params={"by": "job"})).json()["data"]
        totals = {line["label"]: line["total"] for line in chart["series"]}
        assert totals == {"SleepJob": 6, "FlakyJob": 2}


async def test_rq_queues_on_the_overview(
    make_application: MakeApplication, redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}"
    await migrate_database(database_url)
    app = make_application(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        REDIS_PREFIX=redis_prefix,
        QUEUE_CONNECTION="redis",
        CACHE_STORE="file",
        CACHE_PATH=str(tmp_path / "cache"),
    )
    await SleepJob("waiting", 0.01, str(tmp_path / "out.txt")).on_queue("mail").dispatch()
    async for http in signed_in(app):
        body = (await http.get("/queue/api/overview")).json()["data"]
        mail = by_queue({"data": body})["mail"]
        assert (mail["connection"], mail["pending"], mail["status"]) == ("redis", 1, "no workers")
        assert body["stats"]["pending"] == 1
