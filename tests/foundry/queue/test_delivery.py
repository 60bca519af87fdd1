"""At-least-once delivery: a worker killed with SIGKILL mid-job loses nothing.

200 jobs are dispatched; a first worker process is killed while it runs one of them; a second
worker then completes every job, the abandoned one included once ``retry_after`` has passed.
Both the database driver (SQLite and PostgreSQL) and the redis driver (rq) are covered.
"""

from __future__ import annotations

import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.queue.processes import kill_group, labels_in, start_worker, wait_for
from tests.foundry.queue.sample_jobs import SleepJob

JOBS = 200


async def dispatch_jobs(manager: QueueManager, path: Path) -> None:
    await manager.bulk([SleepJob(f"job-{i}", 0.02, str(path)) for i in range(JOBS)])


def kill_then_finish(env: dict[str, str], path: Path, connection: str) -> None:
    args = (connection, "--tries", "5", "--timeout", "2", "--sleep", "0.1")
    log = path.with_suffix(".log")
    first = start_worker(env, log, *args)
    try:
        started = wait_for(lambda: len(labels_in(path)) >= 20, 60)
        assert started, f"the first worker never ran: {log.read_text()[-3000:]}"
    finally:
        kill_group(first)  # SIGKILL, mid-job: each job sleeps before it writes its label
    assert len(set(labels_in(path))) < JOBS
    second = start_worker(env, log, *args)
    try:
        finished = wait_for(lambda: len(set(labels_in(path))) == JOBS, 120)
        second.send_signal(signal.SIGTERM)
        code = second.wait(60)
    finally:
        kill_group(second)
    missing = JOBS - len(set(labels_in(path)))
    assert finished, f"lost jobs: {missing}; {log.read_text()[-2000:]}"
    assert set(labels_in(path)) == {f"job-{i}" for i in range(JOBS)}
    assert code == 0  # SIGTERM is a graceful stop


@pytest.fixture
async def worker_env(database_url: str, tmp_path: Path) -> AsyncIterator[dict[str, str]]:
    await migrate_database(database_url)
    yield {
        "DATABASE_URL": database_url,
        "QUEUE_RETRY_AFTER": "3",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
    }


async def test_killed_database_worker_loses_no_job(
    make_application: MakeApplication, worker_env: dict[str, str], tmp_path: Path
) -> None:
    app: Application = make_application(**worker_env)
    path = tmp_path / "done.txt"
    await dispatch_jobs(app.container.make(QueueManager), path)
    kill_then_finish(worker_env, path, "database")


async def test_killed_redis_worker_loses_no_job(
    make_application: MakeApplication,
    worker_env: dict[str, str],
    redis_url: str,
    rq_prefix: str,
    tmp_path: Path,
) -> None:
    env = {
        **worker_env,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": rq_prefix,
        "QUEUE_CONNECTION": "redis",
    }
    app: Application = make_application(**env)
    path = tmp_path / "done.txt"
    await dispatch_jobs(app.container.make(QueueManager), path)
    kill_then_finish(env, path, "redis")
