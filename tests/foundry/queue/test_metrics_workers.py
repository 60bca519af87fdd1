"""The worker registry (real worker processes, killed for real) and ``queue:health``."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from foundry.kernel.application import Application
from foundry.kernel.config import ConfigRepository
from foundry.kernel.container import set_root_container
from foundry.queue import QueueManager
from foundry.queue.metrics import QueueMetrics, WorkerStatus
from foundry.testing.database import migrate_database
from tests.foundry.console.helpers import artisan
from tests.foundry.queue.processes import kill_group, start_worker
from tests.foundry.queue.sample_jobs import RecordJob, SleepJob

T = TypeVar("T")
LIVENESS = {"QUEUE_WORKER_HEARTBEAT_SECONDS": "0.2", "QUEUE_WORKER_GONE_AFTER": "1.5"}


def in_app(env: dict[str, str], work: Callable[[Application], Awaitable[T]]) -> T:
    """Run ``work`` in a fresh app on ``env`` (what a command or a dashboard would see)."""

    async def run() -> T:
        application = Application(config=ConfigRepository.with_environment(env)).bootstrap()
        try:
            return await work(application)
        finally:
            await application.shutdown()
            set_root_container(None)

    return asyncio.run(run())


def workers(env: dict[str, str], *, include_gone: bool = False) -> list[WorkerStatus]:
    async def read(application: Application) -> list[WorkerStatus]:
        return await application.container.make(QueueMetrics).workers(include_gone=include_gone)

    return in_app(env, read)


def eventually(check: Callable[[], T], seconds: float = 20.0) -> T:
    """Poll ``check()`` until it returns something true; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            assert found, f"still {found!r} after {seconds}s"
            return found
        time.sleep(0.1)


def health(env: dict[str, str], *args: str) -> tuple[int, str]:
    """``artisan queue:health ARGS`` in this process (``env`` is already in ``os.environ``)."""
    assert all(os.environ.get(key) == value for key, value in env.items())
    result = artisan("queue:health", *args)
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def database_env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'queue.sqlite'}"
    asyncio.run(migrate_database(url))
    return {
        "DATABASE_URL": url,
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
        "QUEUE_RETRY_AFTER": "10",
        **LIVENESS,
    }


@pytest.fixture
def redis_env(database_env: dict[str, str], redis_url: str, rq_prefix: str) -> dict[str, str]:
    return {
        **database_env,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": rq_prefix,
        "QUEUE_CONNECTION": "redis",
    }


def exported(values: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Put ``values`` in the environment for this test (artisan in this process reads it)."""
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


@pytest.fixture(params=["database", "redis"])
def env(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    yield exported(dict(request.getfixturevalue(f"{request.param}_env")), monkeypatch)


def test_a_running_worker_is_listed_and_a_killed_one_goes(
    env: dict[str, str], tmp_path: Path
) -> None:
    connection = env.get("QUEUE_CONNECTION", "database")
    code, text = health(env)
    assert code == 1 and f"connection {connection}: 0 live worker(s), 1 expected" in text

    log = tmp_path / "w.log"
    process = start_worker(
        env, log, "--queue", "default,emails", "--sleep", "0.1", "--timeout", "5", "--name", "w1"
    )
    try:
        [listed] = eventually(lambda: workers(env))
        worker = listed.worker
        assert (worker.name, worker.connection, worker.pid) == ("w1", connection, process.pid)
        assert worker.host == socket.gethostname() and worker.queues == ("default", "emails")
        assert worker.current_job is None and worker.jobs_done == 0 and worker.memory_mb > 0

        async def dispatch(application: Application) -> None:
            application.container.make(QueueManager)
            await SleepJob("slow", 1.0, str(tmp_path / "out.txt")).dispatch()

        in_app(env, dispatch)
        running = eventually(lambda: [w for w in workers(env) if w.worker.current_job])
        assert "default: SleepJob [" in str(running[0].worker.current_job)
        eventually(lambda: [w for w in workers(env) if w.worker.jobs_done == 1])
        assert health(env)[0] == 0
    finally:
        kill_group(process, signal.SIGKILL)

    # No goodbye from a killed worker: its heartbeat ages until it counts as gone.
    eventually(lambda: workers(env) == [])
    [gone] = workers(env, include_gone=True)
    assert gone.worker.pid == process.pid and not gone.alive and gone.silent_for > 1.5
    code, text = health(env)
    assert code == 1 and "stopped heartbeating" in text


def test_health_fails_for_pending_jobs_no_worker_takes(
    database_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported(database_env, monkeypatch)

    async def dispatch(application: Application) -> None:
        application.container.make(QueueManager)
        await RecordJob("waiting").on_queue("reports").dispatch()

    in_app(database_env, dispatch)
    code, text = health(database_env)
    assert code == 1 and "queue database:reports: 1 job(s) waiting and no live worker" in text

    log = tmp_path / "w.log"
    process = start_worker(
        database_env, log, "--queue", "default", "--sleep", "0.1", "--timeout", "5"
    )
    try:
        eventually(lambda: workers(database_env))
        # A live worker, but not on the queue that holds a job.
        code, text = health(database_env)
        assert code == 1 and "reports: 1 job(s) waiting and no live worker works it" in text
        assert "live worker(s)" not in text
        # Waiting longer than --stuck-after is a problem of its own.
        stuck = eventually(
            lambda: json.loads(artisan("queue:health", "--json", "--stuck-after", "1").stdout)[
                "problems"
            ][-1].endswith("(more than 1s)")
        )
        assert stuck
        report = json.loads(artisan("queue:health", "--json").stdout)
        assert report["healthy"] is False and report["workers"][0]["alive"] is True
        assert {q["queue"]: q["pending"] for q in report["queues"]}["reports"] == 1
    finally:
        kill_group(process, signal.SIGTERM)
    assert process.returncode == 0
    assert workers(database_env, include_gone=True) == []  # a clean exit leaves the registry
