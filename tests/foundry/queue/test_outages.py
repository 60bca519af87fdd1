"""Workers survive outages (issue 15, item 10): with the database or Redis stopped under a
running worker and started again, the worker never exits, logs the outage once and its end
once, and runs the jobs dispatched afterwards. A worker killed with SIGKILL takes rq's
scheduler process with it.

Every server stopped here is a throwaway one (``tests/foundry/support/throwaway.py``), never the
shared services.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.queue.processes import kill_group, labels_in, start_worker, wait_for
from tests.foundry.queue.sample_jobs import SleepJob
from tests.foundry.support.throwaway import throwaway_postgres, throwaway_redis

UNAVAILABLE = "queue connection 'database' is unavailable"
BACK = "queue connection 'database' is back after"


def base_env(tmp_path: Path) -> dict[str, str]:
    return {
        "QUEUE_RETRY_AFTER": "5",
        # Short waits keep the test quick; what is tested is that the worker waits and returns.
        "QUEUE_RECONNECT_MAX_WAIT": "1",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
        "LOG_FORMAT": "text",
    }


@pytest.fixture
def worker_log(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "worker.log"
    yield path


def stop_worker(worker: subprocess.Popen[bytes], log: Path) -> None:
    """SIGTERM the worker, then check it exits cleanly (and take its process group down)."""
    assert worker.poll() is None, f"the worker exited ({worker.returncode}):\n{log.read_text()}"
    os.kill(worker.pid, signal.SIGTERM)
    code = worker.wait(60)
    kill_group(worker)
    assert code == 0, log.read_text()


async def test_database_worker_rides_out_a_postgres_restart(
    make_application: MakeApplication, tmp_path: Path, worker_log: Path
) -> None:
    out = tmp_path / "out.txt"
    with throwaway_postgres() as postgres:
        await migrate_database(postgres.server_url)
        env = {
            **base_env(tmp_path),
            "DATABASE_URL": postgres.server_url,
            "QUEUE_CONNECTION": "database",
        }
        worker = start_worker(env, worker_log, "--sleep", "0.2", "--timeout", "3")
        try:
            make_application(**env)
            await SleepJob("before", 0, str(out)).dispatch()
            assert wait_for(lambda: labels_in(out) == ["before"], 60), worker_log.read_text()

            postgres.kill()
            assert wait_for(lambda: UNAVAILABLE in worker_log.read_text(), 60)
            assert worker.poll() is None, worker_log.read_text()
            postgres.start()

            make_application(**env)  # a new pool: the old one's connections died with the server
            await SleepJob("after", 0, str(out)).dispatch()
            assert wait_for(
                lambda: labels_in(out) == ["before", "after"], 60
            ), worker_log.read_text()
            text = worker_log.read_text()
            assert text.count(UNAVAILABLE) == 1 and text.count(BACK) == 1, text
            stop_worker(worker, worker_log)
        finally:
            kill_group(worker)


async def test_redis_worker_rides_out_a_redis_restart(
    make_application: MakeApplication, tmp_path: Path, worker_log: Path
) -> None:
    out = tmp_path / "out.txt"
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'failed.sqlite'}"
    await migrate_database(database_url)
    with throwaway_redis() as redis:
        env = {
            **base_env(tmp_path),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis.url,
            "QUEUE_CONNECTION": "redis",
        }
        worker = start_worker(env, worker_log, "--timeout", "3")
        try:
            make_application(**env)
            await SleepJob("before", 0, str(out)).dispatch()
            assert wait_for(lambda: labels_in(out) == ["before"], 60), worker_log.read_text()

            redis.kill()
            unavailable = "queue connection 'redis' is unavailable"
            assert wait_for(lambda: unavailable in worker_log.read_text(), 60)
            assert worker.poll() is None, worker_log.read_text()
            redis.start()  # empty: what was queued before is gone, as with a real crash

            make_application(**env)
            await SleepJob("after", 0, str(out)).dispatch()
            assert wait_for(
                lambda: labels_in(out) == ["before", "after"], 60
            ), worker_log.read_text()
            text = worker_log.read_text()
            assert text.count(unavailable) == 1, text
            assert text.count("queue connection 'redis' is back after") == 1, text
            stop_worker(worker, worker_log)
        finally:
            kill_group(worker)


def children_of(pid: int) -> list[int]:
    """The live processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie nobody reaped yet counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
async def test_a_sigkilled_redis_worker_takes_its_scheduler_with_it(
    redis_url: str, rq_prefix: str, tmp_path: Path, worker_log: Path
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'failed.sqlite'}"
    await migrate_database(database_url)
    env = {
        **base_env(tmp_path),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": rq_prefix,
        "QUEUE_CONNECTION": "redis",
    }
    worker = start_worker(env, worker_log, "--timeout", "3")
    try:
        assert wait_for(lambda: children_of(worker.pid) != [], 60), worker_log.read_text()
        [scheduler] = children_of(worker.pid)
        os.kill(worker.pid, signal.SIGKILL)  # the worker only, not its process group
        worker.wait(30)
        assert wait_for(lambda: not alive(scheduler), 15), "the scheduler outlived its worker"
    finally:
        kill_group(worker)


async def test_a_worker_stopped_during_an_outage_exits_cleanly(
    tmp_path: Path, worker_log: Path
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'failed.sqlite'}"
    await migrate_database(database_url)
    with throwaway_redis() as redis:
        env = {
            **base_env(tmp_path),
            "DATABASE_URL": database_url,
            "REDIS_URL": redis.url,
            "QUEUE_CONNECTION": "redis",
        }
        worker = start_worker(env, worker_log, "--timeout", "3")
        try:
            assert wait_for(lambda: children_of(worker.pid) != [], 60), worker_log.read_text()
            redis.kill()
            unavailable = "queue connection 'redis' is unavailable"
            assert wait_for(lambda: unavailable in worker_log.read_text(), 60)
            stop_worker(worker, worker_log)  # SIGTERM: exit code 0, not a crash
        finally:
            kill_group(worker)
