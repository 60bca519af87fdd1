"""The Metrics page and its chart endpoint: ranges, grouping by queue or job class, the chosen
series, aligned points, and bad parameters (a 422, never a 500)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.queue.metrics import QueueMetrics
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.dashboard.monitoring_support import run_workload
from tests.foundry.dashboard.support import make_user, sign_in


@pytest.fixture
async def http(
    make_application: MakeApplication, database_url: str, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    await migrate_database(database_url)
    app: Application = make_application(
        DATABASE_URL=database_url, QUEUE_METRICS_STORE="database", QUEUE_RETRY_AFTER="5"
    )
    await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(app)), base_url="http://testserver"
    ) as client:
        await sign_in(client, "ops@example.com", "/queue/metrics")
        empty = (await client.get("/queue/api/metrics")).json()["data"]
        assert (empty["series"], empty["options"], len(empty["points"])) == ([], [], 60)
        await run_workload(app, tmp_path / "out.txt")
        yield client
    await app.container.make(QueueMetrics).aclose()


async def test_charts_per_queue_and_per_job_class(http: httpx.AsyncClient) -> None:
    page = await http.get("/queue/metrics")
    assert page.status_code == 200 and 'data-view="metrics"' in page.text
    assert "assets/monitoring.js" in page.text

    data = (await http.get("/queue/api/metrics")).json()["data"]
    assert (data["range"], data["by"], data["step_minutes"]) == ("1h", "queue", 1)
    assert data["options"] == ["database:default", "database:emails"]
    points = data["points"]
    assert len(points) == 60 and all(b - a == 60 for a, b in zip(points, points[1:]))
    lines = {line["label"]: line for line in data["series"]}
    assert {name: line["total"] for name, line in lines.items()} == {
        "database:default": 6,
        "database:emails": 2,
    }
    default = lines["database:default"]
    assert len(default["throughput"]) == len(default["runtime_avg_ms"]) == 60
    assert sum(default["throughput"]) == 6  # jobs per minute, one point a minute
    assert sum(lines["database:emails"]["failed"]) == 2
    measured = [value for value in default["runtime_avg_ms"] if value is not None]
    assert measured and all(value >= 10 for value in measured)

    jobs = (await http.get("/queue/api/metrics", params={"by": "job"})).json()["data"]
    assert jobs["options"] == ["FlakyJob", "SleepJob"]
    chosen = await http.get("/queue/api/metrics", params={"by": "job", "key": "SleepJob"})
    series = chosen.json()["data"]["series"]
    assert [(line["label"], line["queue"], line["total"]) for line in series] == [
        ("SleepJob", None, 6)
    ]


async def test_longer_ranges_add_minutes_up(http: httpx.AsyncClient) -> None:
    for name, count, step in (("6h", 72, 5), ("24h", 96, 15), ("7d", 84, 120)):
        data = (await http.get("/queue/api/metrics", params={"range": name})).json()["data"]
        assert (len(data["points"]), data["step_minutes"]) == (count, step)
        default = next(line for line in data["series"] if line["label"] == "database:default")
        # Throughput stays in jobs per minute: a point of `step` minutes holds 6 / step.
        assert sum(default["throughput"]) * step == pytest.approx(6, rel=0.01)


async def test_bad_parameters_are_a_422(http: httpx.AsyncClient) -> None:
    for params in ({"range": "2y"}, {"by": "host"}, {"key": "x" * 300}):
        answer = await http.get("/queue/api/metrics", params=params)
        assert answer.status_code == 422 and "message" in answer.json()
    unknown = await http.get("/queue/api/metrics", params={"key": "database:nowhere"})
    assert unknown.json()["data"]["series"] == []
