"""On PostgreSQL an idle database worker waits on ``LISTEN``, not on ``--sleep``.

Every worker here runs with ``--sleep 30`` and every job must run well within that: a worker
that polled would leave them waiting. A delayed job still runs at its time, and the listener
comes back after a PostgreSQL restart.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.queue.processes import kill_group, labels_in, start_worker, wait_for
from tests.foundry.queue.sample_jobs import SleepJob
from tests.foundry.support.throwaway import throwaway_postgres

#: Far below the workers' ``--sleep 30``: a job that runs within it was woken for.
WITHIN = 15.0
WORKER_ARGS = ("--sleep", "30", "--timeout", "3")
BACK = "queue connection 'database' is back after"


def worker_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "QUEUE_CONNECTION": "database",
        "QUEUE_RETRY_AFTER": "10",
        "QUEUE_RECONNECT_MAX_WAIT": "1",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
        "LOG_FORMAT": "text",
    }


def stop(worker: subprocess.Popen[bytes], log: Path) -> None:
    assert worker.poll() is None, log.read_text()
    worker.terminate()
    assert worker.wait(30) == 0, log.read_text()


async def run_and_idle(out: Path, log: Path) -> None:
    """Dispatch a first job, see it run, and give the worker time to settle into its wait."""
    await SleepJob("first", 0, str(out)).dispatch()
    assert wait_for(lambda: labels_in(out) == ["first"], 60), log.read_text()
    time.sleep(1.0)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_an_idle_worker_wakes_for_a_push_and_for_a_delayed_job(
    make_application: MakeApplication, database_url: str, tmp_path: Path
) -> None:
    await migrate_database(database_url)
    env = worker_env(database_url, tmp_path)
    out, log = tmp_path / "out.txt", tmp_path / "worker.log"
    worker = start_worker(env, log, *WORKER_ARGS)
    try:
        app: Application = make_application(**env)
        await run_and_idle(out, log)

        await SleepJob("pushed", 0, str(out)).dispatch()
        assert wait_for(lambda: "pushed" in labels_in(out), WITHIN), log.read_text()

        # A delayed job: the worker wakes when it is due, not after its 30 s sleep.
        time.sleep(1.0)
        await SleepJob("delayed", 0, str(out)).delay_until(2).dispatch()
        assert not wait_for(lambda: "delayed" in labels_in(out), 1.0)  # not before its time
        assert wait_for(lambda: "delayed" in labels_in(out), WITHIN), log.read_text()

        # A job pushed in a transaction wakes it at commit.
        manager = app.container.make(QueueManager)
        await manager.bulk([SleepJob(f"bulk-{i}", 0, str(out)) for i in range(3)])
        assert wait_for(lambda: len(labels_in(out)) == 6, WITHIN), log.read_text()
        stop(worker, log)
    finally:
        kill_group(worker)


async def test_the_listener_comes_back_after_a_postgres_restart(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    out, log = tmp_path / "out.txt", tmp_path / "worker.log"
    with throwaway_postgres() as postgres:
        await migrate_database(postgres.server_url)
        env = worker_env(postgres.server_url, tmp_path)
        worker = start_worker(env, log, *WORKER_ARGS)
        try:
            make_application(**env)
            await run_and_idle(out, log)

            postgres.kill()
            postgres.start()
            # The worker noticed the listener's connection die, rode out the outage, and
            # listens again (its first empty poll after coming back).
            assert wait_for(lambda: BACK in log.read_text(), 60), log.read_text()
            time.sleep(1.0)

            make_application(**env)  # a new pool: the old one's connections died with the server
            await SleepJob("after", 0, str(out)).dispatch()
            assert wait_for(lambda: "after" in labels_in(out), WITHIN), log.read_text()
            stop(worker, log)
        finally:
            kill_group(worker)
