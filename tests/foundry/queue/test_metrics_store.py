"""Metrics stores, retention, the histogram's error, ``queue:monitor`` and ``queue:metrics``."""

from __future__ import annotations

import json
import random
import secrets
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from foundry.events import Event
from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.queue.drivers.base import ReservedJob
from foundry.queue.events import QueueBusy
from foundry.queue.lifecycle import JobRun
from foundry.queue.metrics import RELATIVE_ERROR, QueueMetrics
from foundry.queue.metrics.histogram import percentile
from foundry.queue.metrics.monitor import MonitorTarget, monitor, parse_target
from foundry.queue.metrics.tally import Tally
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.console.helpers import artisan
from tests.foundry.queue.sample_jobs import RecordJob
from tests.support.services import delete_redis_prefix

#: A frozen wall clock (a whole minute); near the real one, since Redis expires keys by its own.
NOW = float(int(time.time()) // 60 * 60)
DAY = 86_400.0


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def run_of(manager: QueueManager, queue: str, runtime: float) -> JobRun:
    """A delivery as the runner reports it (a first attempt, queued a second before)."""
    payload = {"display_name": "ReportJob", "pushed_at": NOW - 1}
    reserved = ReservedJob("1", queue, "{}", 1, "database")
    return JobRun(manager.connection("database"), reserved, payload, None, NOW, runtime)


@pytest.fixture(params=["database", "redis"])
async def metrics_env(
    request: pytest.FixtureRequest, database_url: str
) -> AsyncIterator[dict[str, str]]:
    """The settings of an app whose metrics are in the database, or on Redis."""
    values = {"DATABASE_URL": database_url, "QUEUE_METRICS_STORE": request.param}
    if request.param == "database":
        yield values
        return
    redis_url = request.getfixturevalue("redis_url")
    prefix = f"foundry-test:{secrets.token_hex(8)}:"
    yield values | {"REDIS_URL": redis_url, "REDIS_PREFIX": prefix}
    await delete_redis_prefix(redis_url, prefix)


async def test_old_minutes_are_pruned_after_the_retention(
    make_application: MakeApplication, metrics_env: dict[str, str], database_url: str
) -> None:
    await migrate_database(database_url)
    app: Application = make_application(**metrics_env, QUEUE_METRICS_RETENTION_HOURS="48")
    manager = app.container.make(QueueManager)
    clock = Clock(NOW - 3 * DAY)
    metrics = QueueMetrics(manager, app.container.make(QueueMetrics).kind, clock=clock)
    await metrics.recorder.succeeded(run_of(manager, "old", 0.5))
    await metrics.recorder.flush()
    clock.now = NOW
    await metrics.recorder.succeeded(run_of(manager, "new", 0.5))
    await metrics.recorder.failed(run_of(manager, "new", 0.5))
    await metrics.recorder.flush()

    await metrics.prune()
    found = await metrics.series(7 * 24 * 60)
    assert {key.queue for key in found} == {"new"}  # three days old: past 48 hours
    [row] = await metrics.by_queue(60)
    assert (row.queue, row.processed, row.failed, row.wait_avg) == ("new", 1, 1, 1.0)
    assert row.runtime_max == 0.5
    await metrics.aclose()


async def test_flushes_add_up_across_workers(
    make_application: MakeApplication, metrics_env: dict[str, str], database_url: str
) -> None:
    await migrate_database(database_url)
    app: Application = make_application(**metrics_env)
    manager = app.container.make(QueueManager)
    kind = app.container.make(QueueMetrics).kind
    first, second = (QueueMetrics(manager, kind, clock=Clock(NOW)) for _ in range(2))
    for recorder, runtime in ((first.recorder, 0.2), (second.recorder, 0.8)):
        await recorder.succeeded(run_of(manager, "default", runtime))
        await recorder.released(run_of(manager, "default", runtime), 0)
        await recorder.flush()
    [row] = await first.by_job(60)
    assert (row.job, row.processed, row.released, row.runtime_max) == ("ReportJob", 2, 2, 0.8)
    assert row.runtime_avg == pytest.approx(0.5)
    await first.aclose()
    await second.aclose()


def test_percentiles_are_within_the_stated_error() -> None:
    rng = random.Random(17)
    runtimes = sorted(rng.lognormvariate(-3, 1.5) for _ in range(5000))
    tally = Tally()
    for runtime in runtimes:
        tally.add_runtime(runtime)
    for fraction in (0.5, 0.95, 0.99):
        exact = runtimes[int(fraction * len(runtimes)) - 1]
        estimate = percentile(tally.bins, fraction, tally.runtime_max)
        assert estimate is not None
        assert abs(estimate - exact) <= exact * RELATIVE_ERROR
    assert percentile({}, 0.5) is None


def test_monitor_targets_read_like_laravels() -> None:
    connections = {"database", "redis"}
    assert parse_target("default:100", 1000, connections) == MonitorTarget(None, "default", 100)
    assert parse_target("redis:emails:50", 1000, connections) == MonitorTarget(
        "redis", "emails", 50
    )
    assert parse_target("emails", 7, connections) == MonitorTarget(None, "emails", 7)
    assert parse_target("app:reports", 7, connections) == MonitorTarget(None, "app:reports", 7)
    with pytest.raises(ValueError, match="names no queue"):
        parse_target("redis:", 7, connections)


async def test_monitor_fires_queue_busy_for_a_queue_at_its_threshold(
    make_application: MakeApplication, database_url: str
) -> None:
    await migrate_database(database_url)
    app: Application = make_application(DATABASE_URL=database_url)
    manager = app.container.make(QueueManager)
    for label in "abc":
        await RecordJob(label).dispatch()
    events = Event.fake()
    loads = await monitor(
        manager, [MonitorTarget(None, "default", 3), MonitorTarget("database", "emails", 1)]
    )
    assert [(load.queue, load.size, load.busy) for load in loads] == [
        ("default", 3, True),
        ("emails", 0, False),
    ]
    events.assert_dispatched(QueueBusy, lambda e: (e.queue, e.size, e.max) == ("default", 3, 3))
    events.assert_dispatched_times(QueueBusy, 1)


def test_the_commands_as_a_user_runs_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'q.sqlite'}",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
        "QUEUE_RETRY_AFTER": "10",
    }
    for key, value in env.items():  # in os.environ, as test_commands does it
        monkeypatch.setenv(key, value)
    assert artisan("migrate").exit_code == 0
    empty = artisan("queue:metrics")
    assert empty.exit_code == 0 and "No jobs finished" in empty.stdout
    busy = artisan("queue:monitor", "default:1", "database:emails:5")
    assert busy.exit_code == 0 and "OK" in busy.stdout
    bad = artisan("queue:monitor", "default:0")
    assert bad.exit_code == 1 and "at least 1" in bad.stdout + bad.stderr
    listing = json.loads(artisan("queue:metrics", "--json").stdout)
    assert listing == {"minutes": 60, "queues": [], "jobs": []}
    monkeypatch.setenv("QUEUE_METRICS_STORE", "off")
    off = artisan("queue:metrics")
    assert off.exit_code == 1 and "QUEUE_METRICS_STORE=off" in off.stdout + off.stderr
