"""Workers survive outages (issue 15, item 10): with the database or Redis stopped under a
running worker and started again, the worker never exits, logs the outage once and its end
once, and runs the jobs dispatched afterwards. A worker killed with SIGKILL takes rq's
scheduler process with it.

A push to a frozen Redis fails after ``REDIS_SOCKET_TIMEOUT`` instead of hanging, and waits
that long (not redis-py's default of 5 s) for a slow one.

Every server stopped here is a throwaway one (``tests/foundry/support/throwaway.py``), never the
shared services.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from foundry.kernel.outages import outage_of
from foundry.queue import QueueManager
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.queue.processes import kill_group, labels_in, start_worker, wait_for
from tests.foundry.queue.sample_jobs import SleepJob
from tests.foundry.support.throwaway import throwaway_postgres, throwaway_redis

UNAVAILABLE = "queue connection 'database' is unavailable"
BACK = "queue connection 'database' is back after"
#: Far beyond the socket timeout these tests configure: reaching it means the push hung.
HANG_GUARD = 30.0


def base_env(tmp_path: Path) -> dict[str, str]:
    return {
        "QUEUE_RETRY_AFTER": "5",
        # Short waits keep the test quick; what is tested is that the worker waits and returns.
        "QUEUE_RECONNECT_MAX_WAIT": "1",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
        "LOG_FORMAT": "text",
    }


async def redis_env(tmp_path: Path, redis_url: str, **extra: str) -> dict[str, str]:
    """:func:`base_env` for the ``redis`` queue, failed jobs in a migrated SQLite file."""
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'failed.sqlite'}"
    await migrate_database(database_url)
    return {
        **base_env(tmp_path),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "QUEUE_CONNECTION": "redis",
        **extra,
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
    with throwaway_redis() as redis:
        env = await redis_env(tmp_path, redis.url)
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
    env = await redis_env(tmp_path, redis_url, REDIS_PREFIX=rq_prefix)
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
    with throwaway_redis() as redis:
        env = await redis_env(tmp_path, redis.url)
        worker = start_worker(env, worker_log, "--timeout", "3")
        try:
            assert wait_for(lambda: children_of(worker.pid) != [], 60), worker_log.read_text()
            redis.kill()
            unavailable = "queue connection 'redis' is unavailable"
            assert wait_for(lambda: unavailable in worker_log.read_text(), 60)
            stop_worker(worker, worker_log)  # SIGTERM: exit code 0, not a crash
        finally:
            kill_group(worker)


async def test_a_push_to_a_frozen_redis_fails_instead_of_hanging(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    out = str(tmp_path / "out.txt")
    with throwaway_redis() as redis:
        make_application(
            **await redis_env(
                tmp_path, redis.url, REDIS_SOCKET_TIMEOUT="1", REDIS_CONNECT_TIMEOUT="1"
            )
        )
        await SleepJob("before", 0, out).dispatch()  # the driver's pool holds a connection now

        redis.freeze()
        try:
            await asyncio.wait_for(SleepJob("frozen", 0, out).dispatch(), HANG_GUARD)
        except TimeoutError:
            pytest.fail(f"the push hung (no answer within {HANG_GUARD:.0f} s)")
        except Exception as exc:
            # What a request answers 503 for (and a worker waits out).
            assert outage_of(exc) == "redis", repr(exc)
        else:
            pytest.fail("a push to a frozen Redis succeeded")


async def test_a_push_waits_as_long_as_redis_socket_timeout_says(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    out = str(tmp_path / "out.txt")
    with throwaway_redis() as redis:
        app = make_application(
            **await redis_env(tmp_path, redis.url, REDIS_SOCKET_TIMEOUT=str(HANG_GUARD))
        )
        await SleepJob("before", 0, out).dispatch()

        # Frozen longer than redis-py's own 5 s default, well within the configured timeout.
        redis.freeze()
        thaw = threading.Timer(8.0, redis.thaw)
        thaw.start()
        try:
            await asyncio.wait_for(SleepJob("slow", 0, out).dispatch(), 2 * HANG_GUARD)
        finally:
            thaw.cancel()
            redis.thaw()
        counts = await app.container.make(QueueManager).connection().counts("default")
        assert counts.pending == 2
