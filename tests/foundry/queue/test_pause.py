"""``queue:pause`` / ``queue:continue``: paused queues wait, others flow, on every driver."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.queue.pausing import continue_queue, is_paused, pause_queue, paused_queues
from foundry.queue.worker import Worker, WorkerOptions
from tests.foundry.console.helpers import artisan
from tests.foundry.queue.processes import labels_in, start_worker, stop_worker
from tests.foundry.queue.sample_jobs import Journal, RecordJob, SleepJob
from tests.foundry.queue.test_metrics_workers import eventually, exported, in_app


async def work(manager: QueueManager, queues: list[str]) -> None:
    options = WorkerOptions(queues=queues, memory=0, stop_when_empty=True, sleep=0, timeout=2)
    await Worker(manager, "database", options).run()


async def test_a_paused_queue_waits_while_another_runs(manager: QueueManager) -> None:
    await RecordJob("report").on_queue("reports").dispatch()
    await RecordJob("mail").on_queue("emails").dispatch()
    await pause_queue(manager, "database", "reports")
    assert await is_paused(manager, "database", "reports")
    assert await paused_queues(manager, "database", ["reports", "emails"]) == {"reports"}

    await work(manager, ["reports", "emails"])
    assert Journal.of("ran") == ["mail"]
    assert await manager.size("reports") == 1

    await continue_queue(manager, "database", "reports")
    assert not await is_paused(manager, "database", "reports")
    await work(manager, ["reports", "emails"])
    assert Journal.of("ran") == ["mail", "report"]
    assert await manager.size("reports") == 0


async def test_a_pause_is_per_connection_and_ends_with_its_ttl(manager: QueueManager) -> None:
    await pause_queue(manager, "redis", "default")
    assert not await is_paused(manager, "database", "default")
    await pause_queue(manager, "database", "default", ttl=0.2)
    assert await is_paused(manager, "database", "default")
    await asyncio.sleep(1.1)  # cache TTLs count whole seconds on some stores
    assert not await is_paused(manager, "database", "default")


@pytest.fixture
def file_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    from foundry.testing.database import migrate_database

    url = f"sqlite+aiosqlite:///{tmp_path / 'queue.sqlite'}"
    asyncio.run(migrate_database(url))
    env = {
        "DATABASE_URL": url,
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
        "QUEUE_RETRY_AFTER": "10",
    }
    return exported(env, monkeypatch)


def test_commands_pause_and_continue_with_laravel_syntax(file_env: dict[str, str]) -> None:
    paused = artisan("queue:pause", "reports")
    assert paused.exit_code == 0
    assert "queue [database:reports] has been paused" in paused.stdout
    timed = artisan("queue:pause", "redis:emails", "--ttl", "60")
    assert timed.exit_code == 0 and "[redis:emails] has been paused for 60 seconds" in timed.stdout

    async def read(application: Application) -> tuple[set[str], set[str]]:
        manager = application.container.make(QueueManager)
        return (
            await paused_queues(manager, "database", ["reports", "emails"]),
            await paused_queues(manager, "redis", ["reports", "emails"]),
        )

    assert in_app(file_env, read) == ({"reports"}, {"emails"})
    resumed = artisan("queue:continue", "database:reports")
    assert resumed.exit_code == 0 and "[database:reports] has been resumed" in resumed.stdout
    assert in_app(file_env, read) == (set(), {"emails"})

    unknown = artisan("queue:pause", "nowhere:reports")
    assert unknown.exit_code == 1 and "'nowhere' is not defined" in unknown.stdout + unknown.stderr
    bad = artisan("queue:continue", "database:no spaces")
    assert bad.exit_code == 1 and "invalid queue name" in bad.stdout + bad.stderr


def test_health_reports_a_paused_queue_as_paused(file_env: dict[str, str]) -> None:
    async def dispatch(application: Application) -> None:
        application.container.make(QueueManager)
        await RecordJob("waiting").on_queue("reports").dispatch()

    in_app(file_env, dispatch)
    assert artisan("queue:pause", "reports").exit_code == 0
    report = json.loads(artisan("queue:health", "--json", "--min-workers", "0").stdout)
    assert report["paused"] == ["database:reports"]
    assert report["problems"] == [] and report["healthy"] is True
    assert "queue database:reports is paused (1 job(s) waiting)" in report["notes"]


@pytest.fixture
def redis_file_env(
    file_env: dict[str, str], redis_url: str, rq_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    env = {
        **file_env,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": rq_prefix,
        "QUEUE_CONNECTION": "redis",
    }
    return exported(env, monkeypatch)


@pytest.mark.parametrize("driver", ["database", "redis"])
def test_a_worker_process_skips_a_paused_queue_until_it_continues(
    driver: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    env = request.getfixturevalue("file_env" if driver == "database" else "redis_file_env")
    out = tmp_path / "out.txt"
    assert artisan("queue:pause", f"{driver}:reports").exit_code == 0

    async def dispatch(application: Application) -> None:
        application.container.make(QueueManager)
        await SleepJob("report", 0, str(out)).on_queue("reports").dispatch()
        await SleepJob("mail", 0, str(out)).on_queue("emails").dispatch()

    in_app(env, dispatch)
    log = tmp_path / "w.log"
    process = start_worker(
        env, log, driver, "--queue", "reports,emails", "--sleep", "0.1", "--timeout", "5"
    )
    try:
        eventually(lambda: labels_in(out) == ["mail"])
        time.sleep(1.5)  # more than a pause check: the paused job still waits
        assert labels_in(out) == ["mail"]
        assert artisan("queue:continue", f"{driver}:reports").exit_code == 0
        eventually(lambda: labels_in(out) == ["mail", "report"])
        # Every queue paused: the worker idles, and still stops promptly on SIGTERM.
        assert artisan("queue:pause", f"{driver}:reports").exit_code == 0
        assert artisan("queue:pause", f"{driver}:emails").exit_code == 0
        time.sleep(1.5)
    finally:
        code = stop_worker(process, log, seconds=15)
    assert code == 0, log.read_text()
