"""Queue throughput: 5,000 no-op jobs end to end, Foundry's drivers against raw rq.

One run, on this machine, measured in the same run:

* **redis driver** (``queue:work redis --stop-when-empty``, one worker process) against raw rq's
  ``SimpleWorker`` and rq's default forking ``Worker``, each running a no-op function;
* **database driver** on SQLite and on PostgreSQL (``BENCH_DATABASE_URL``, default the local
  server's ``test`` database; a scratch database is created and dropped);
* **bulk dispatch** of 10,000 jobs (one round trip per connection) against 1,000 single
  dispatches scaled up.

Workers run as subprocesses, so every figure includes the interpreter start; jobs/s is jobs
divided by the worker's wall time. rq ``SimpleWorker``, the redis driver and the database driver
on PostgreSQL are measured ``--rounds`` times, alternating, and the best of each is compared
(load on a shared machine swings from one run to the next); the range is printed too.

Targets: the redis driver >= 2x rq ``SimpleWorker``; the database driver on PostgreSQL >= 1,000
jobs/s and >= 4x rq ``SimpleWorker``. ``--env KEY=VALUE`` (repeatable) sets a variable for
Foundry (its dispatches and workers), e.g. to measure with queue metrics switched on.

Run: ``.venv/bin/python scripts/bench/queue_throughput.py [--jobs N] [--rounds N]``. Needs
Redis (``REDIS_URL``, default local) and the migrations (it migrates its scratch databases
itself).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import make_url  # noqa: E402

from foundry.kernel.application import Application  # noqa: E402
from foundry.kernel.config import ConfigRepository  # noqa: E402
from foundry.kernel.container import set_root_container  # noqa: E402
from foundry.queue import QueueManager  # noqa: E402
from foundry.testing.database import migrate_database  # noqa: E402
from scripts.bench.queue_jobs import NoopJob  # noqa: E402

__all__ = ["main"]

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
PG_SERVER = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
#: Redis driver against rq ``SimpleWorker``.
TARGET = 2.0
#: Database driver on PostgreSQL: against rq ``SimpleWorker``, and in jobs per second.
PG_TARGET = 4.0
PG_TARGET_RATE = 1000.0

RAW_WORKER = """
import sys
from redis import Redis
from rq import SimpleWorker, Worker
from rq.serializers import JSONSerializer
cls = SimpleWorker if sys.argv[1] == "simple" else Worker
worker = cls([sys.argv[2]], connection=Redis.from_url(sys.argv[3]), serializer=JSONSerializer)
worker.work(burst=True, logging_level="WARNING")
"""


def _run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, check=True)
    return time.perf_counter() - started


def raw_rq(kind: str, jobs: int) -> float:
    """Seconds for rq's ``kind`` worker to run ``jobs`` no-op functions."""
    from redis import Redis
    from rq import Queue
    from rq.serializers import JSONSerializer

    name = f"bench-raw-{secrets.token_hex(4)}"
    queue = Queue(name, connection=Redis.from_url(REDIS_URL), serializer=JSONSerializer)
    data = [Queue.prepare_data("scripts.bench.queue_jobs.noop", result_ttl=0) for _ in range(jobs)]
    for start in range(0, jobs, 1000):
        queue.enqueue_many(data[start : start + 1000])
    try:
        return _run([sys.executable, "-c", RAW_WORKER, kind, name, REDIS_URL], {})
    finally:
        queue.delete(delete_jobs=True)


async def _dispatch(env: dict[str, str], jobs: int, bulk: bool) -> float:
    application = Application(config=ConfigRepository.with_environment(env)).bootstrap()
    try:
        manager = application.container.make(QueueManager)
        started = time.perf_counter()
        if bulk:
            for start in range(0, jobs, 10_000):
                await manager.bulk([NoopJob() for _ in range(min(10_000, jobs - start))])
        else:
            for _ in range(jobs):
                await NoopJob.dispatch()
        return time.perf_counter() - started
    finally:
        await application.shutdown()
        set_root_container(None)


def foundry(env: dict[str, str], connection: str, jobs: int) -> float:
    """Seconds for one ``queue:work`` process to run ``jobs`` no-op jobs on ``connection``."""
    asyncio.run(_dispatch(env, jobs, bulk=True))
    command = [sys.executable, "-m", "foundry.console", "queue:work", connection]
    flags = ["--stop-when-empty", "--sleep", "0", "--memory", "0", "--timeout", "30"]
    return _run(command + flags, env)


async def _create_pg() -> str | None:
    import asyncpg

    url = make_url(PG_SERVER)
    name = f"foundry_bench_{secrets.token_hex(4)}"
    try:
        connection = await asyncpg.connect(
            user=url.username,
            password=url.password,
            host=url.host,
            port=url.port,
            database=url.database,
            timeout=5,
        )
    except Exception:  # noqa: BLE001  # any failure to reach the server means: skip PostgreSQL
        return None
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return url.set(database=name).render_as_string(hide_password=False)


async def _drop_pg(database_url: str) -> None:
    import asyncpg

    url = make_url(PG_SERVER)
    connection = await asyncpg.connect(
        user=url.username,
        password=url.password,
        host=url.host,
        port=url.port,
        database=url.database,
        timeout=5,
    )
    try:
        await connection.execute(
            f'DROP DATABASE IF EXISTS "{make_url(database_url).database}" WITH (FORCE)'
        )
    finally:
        await connection.close()


def _line(label: str, jobs: int, seconds: float, baseline: float | None = None) -> None:
    rate = jobs / seconds
    ratio = f"  {baseline / seconds:5.2f}x" if baseline else ""
    print(f"  {label:<48} {seconds:7.2f} s  {rate:9.0f} jobs/s{ratio}")


def _best(label: str, jobs: int, runs: list[float], baseline: float | None = None) -> float:
    """Print the best of ``runs`` with the range of rates seen; returns the best time."""
    best = min(runs)
    _line(f"{label} (best of {len(runs)})", jobs, best, baseline)
    if len(runs) > 1:
        print(f"  {'':<48} {'range':>9}  {jobs / max(runs):6.0f}-{jobs / best:.0f} jobs/s")
    return best


def _verdict(what: str, ratio: float, target: float) -> str:
    return (
        f"{what}: {ratio:.2f}x (target >= {target:.1f}x: {'met' if ratio >= target else 'MISSED'})"
    )


def main() -> None:
    """Run every measurement once and print jobs/s and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=5000)
    parser.add_argument("--bulk", type=int, default=10_000)
    parser.add_argument(
        "--fork-jobs", type=int, default=200, help="jobs for rq's forking Worker (slow here)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="alternating runs of each")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a variable for Foundry (dispatch and workers; repeatable), e.g. to switch metrics on",
    )
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.env)
    jobs = args.jobs
    scratch = Path(tempfile.mkdtemp(prefix="foundry-bench-"))
    base = {
        "APP_ENV_FILE": "",
        "CACHE_STORE": "file",
        "CACHE_PATH": str(scratch / "cache"),
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": REDIS_URL,
        "REDIS_PREFIX": f"bench-{secrets.token_hex(4)}:",
        "QUEUE_RETRY_AFTER": "90",
        **extra,
    }
    if "APP_KEY" not in os.environ:
        base["APP_KEY"] = "base64:" + "B" * 43 + "="
    sqlite = {**base, "DATABASE_URL": f"sqlite+aiosqlite:///{scratch / 'bench.sqlite'}"}
    asyncio.run(migrate_database(sqlite["DATABASE_URL"]))

    print(f"Queue throughput, {jobs} no-op jobs, one worker process (busy machine: compare ratios)")
    if extra:
        print(f"  Foundry workers with {', '.join(args.env)}")
    redis_env = {**sqlite, "QUEUE_CONNECTION": "redis"}
    pg_url = asyncio.run(_create_pg())
    pg = None
    if pg_url is not None:
        asyncio.run(migrate_database(pg_url))
        pg = {**base, "DATABASE_URL": pg_url}
    # Alternate what the targets compare and keep the best of each: load on this machine
    # swings by 30% from one run to the next.
    simple_runs: list[float] = []
    our_runs: list[float] = []
    pg_runs: list[float] = []
    for _ in range(max(1, args.rounds)):
        simple_runs.append(raw_rq("simple", jobs))
        our_runs.append(foundry(redis_env, "redis", jobs))
        if pg is not None:
            pg_runs.append(foundry(pg, "database", jobs))
    simple = _best("rq SimpleWorker (baseline)", jobs, simple_runs)
    forking = raw_rq("fork", args.fork_jobs)
    _line(f"rq Worker (forks per job; {args.fork_jobs} jobs)", args.fork_jobs, forking)
    print(
        f"  {'':<48} {'':>9}  {'':>15}  {(jobs / simple) / (args.fork_jobs / forking):5.2f}x slower"
    )
    ours = _best("Foundry redis driver", jobs, our_runs, simple)
    _line("Foundry database driver, SQLite", jobs, foundry(sqlite, "database", jobs), simple)
    best_pg = (
        _best("Foundry database driver, PostgreSQL", jobs, pg_runs, simple) if pg_runs else None
    )
    if pg is None:
        print("  (PostgreSQL not reachable: skipped)")

    print(f"Bulk dispatch of {args.bulk} jobs against {args.bulk // 10} single dispatches (scaled)")
    for label, env in (("SQLite", sqlite), ("PostgreSQL", pg), ("Redis", redis_env)):
        if env is None:
            continue
        single = asyncio.run(_dispatch(env, args.bulk // 10, bulk=False)) * 10
        bulk = asyncio.run(_dispatch(env, args.bulk, bulk=True))
        _line(f"{label}: single dispatch (x10)", args.bulk, single)
        _line(f"{label}: bulk dispatch", args.bulk, bulk, single)
    print(_verdict("redis driver vs rq SimpleWorker", simple / ours, TARGET))
    if best_pg is not None:
        print(
            _verdict("database driver (PostgreSQL) vs rq SimpleWorker", simple / best_pg, PG_TARGET)
        )
        rate = jobs / best_pg
        met = "met" if rate >= PG_TARGET_RATE else "MISSED"
        print(
            f"database driver (PostgreSQL): {rate:.0f} jobs/s (target >= {PG_TARGET_RATE:.0f}: {met})"
        )
    if pg_url is not None:
        asyncio.run(_drop_pg(pg_url))
    _cleanup_redis(base["REDIS_PREFIX"])


def _cleanup_redis(prefix: str) -> None:
    from redis import Redis

    client = Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"*{prefix}*"))
    if keys:
        client.delete(*keys)


if __name__ == "__main__":
    main()
