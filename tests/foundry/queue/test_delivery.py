"""At-least-once delivery: a worker killed with SIGKILL mid-job loses nothing.

200 jobs are dispatched; a first worker process is killed while it runs one of them; a second
worker then completes every job, the abandoned one included once ``retry_after`` has passed.
Both the database driver (SQLite and PostgreSQL) and the redis driver (rq) are covered.
"""

from __future__ import annotations

import signal
from pathlib import Path

from foundry.kernel.application import Application
from foundry.queue import QueueManager
from tests.conftest import MakeApplication
from tests.foundry.queue.processes import kill_group, kill_when, labels_in, start_worker, wait_for
from tests.foundry.queue.sample_jobs import SleepJob

JOBS = 200


async def dispatch_jobs(manager: QueueManager, path: Path) -> None:
    await manager.bulk([SleepJob(f"job-{i}", 0.02, str(path)) for i in range(JOBS)])


def kill_then_finish(env: dict[str, str], path: Path, connection: str) -> None:
    args = (connection, "--tries", "5", "--timeout", "2", "--sleep", "0.1")
    log = path.with_suffix(".log")
    # Each job sleeps before it writes its label: the kill lands mid-job.
    kill_when(env, log, args, lambda: len(labels_in(path)) >= 20)
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


async def test_killed_database_worker_loses_no_job(
    make_application: MakeApplication, worker_env: dict[str, str], tmp_path: Path
) -> None:
    app: Application = make_application(**worker_env)
    path = tmp_path / "done.txt"
    await dispatch_jobs(app.container.make(QueueManager), path)
    kill_then_finish(worker_env, path, "database")


async def test_killed_redis_worker_loses_no_job(
    make_application: MakeApplication,
    redis_worker_env: dict[str, str],
    tmp_path: Path,
) -> None:
    env = redis_worker_env
    app: Application = make_application(**env)
    path = tmp_path / "done.txt"
    await dispatch_jobs(app.container.make(QueueManager), path)
    kill_then_finish(env, path, "redis")
