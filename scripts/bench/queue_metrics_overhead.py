"""What recording job metrics costs a worker: no-op jobs with and without the metrics hook.

Each round builds two apps in this process, one with ``QUEUE_METRICS_STORE=off`` (no hook,
no heartbeat) and one with the metrics on (``database``: a scratch SQLite file, or ``redis``
with ``--store redis``), queues ``--jobs`` no-op jobs on the in-process ``memory`` connection
(so the runner itself, not a back end, is the baseline: the worst case for the hook's share)
and times ``queue:work memory --stop-when-empty`` on each. The metered side includes its
heartbeat, its flush at stop and one write per ``QUEUE_METRICS_FLUSH_SECONDS``.

Target: the metered worker takes less than 1.05x the time of the bare one (the hook costs under
5 % of a no-op job). Prints each round's ratio and the range.
Run: ``.venv/bin/python scripts/bench/queue_metrics_overhead.py [--jobs N] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from foundry.kernel.application import Application  # noqa: E402
from foundry.kernel.config import ConfigRepository  # noqa: E402
from foundry.kernel.container import set_root_container  # noqa: E402
from foundry.queue import QueueManager  # noqa: E402
from foundry.queue.drivers.base import ReservedJob  # noqa: E402
from foundry.queue.lifecycle import JobRun  # noqa: E402
from foundry.queue.metrics import QueueMetrics  # noqa: E402
from foundry.queue.worker import Worker, WorkerOptions  # noqa: E402
from foundry.testing.database import migrate_database  # noqa: E402
from scripts.bench.queue_jobs import NoopJob  # noqa: E402

__all__ = ["main"]

TARGET = 1.05


async def timed_worker(env: dict[str, str], jobs: int, metered: bool) -> float:
    """Seconds a worker takes for ``jobs`` no-op jobs on the memory connection."""
    store = env["STORE"] if metered else "off"
    settings = {k: v for k, v in env.items() if k != "STORE"} | {"QUEUE_METRICS_STORE": store}
    application = Application(config=ConfigRepository.with_environment(settings)).bootstrap()
    try:
        manager = application.container.make(QueueManager)
        assert (application.container.make(QueueMetrics).kind != "off") is metered
        for start in range(0, jobs, 1000):
            batch = [NoopJob().on_connection("memory") for _ in range(min(1000, jobs - start))]
            await manager.bulk(batch)
        options = WorkerOptions(memory=0, stop_when_empty=True, sleep=0, timeout=5)
        worker = Worker(manager, "memory", options)
        started = time.perf_counter()
        await worker.run()
        elapsed = time.perf_counter() - started
        assert worker.processed == jobs
        return elapsed
    finally:
        await application.shutdown()
        set_root_container(None)


async def measure(env: dict[str, str], jobs: int, rounds: int) -> list[float]:
    """Per round: metered time over bare time (order alternated to cancel drift)."""
    await timed_worker(env, min(jobs, 500), False)  # warm imports and caches
    await timed_worker(env, min(jobs, 500), True)
    ratios = []
    for index in range(rounds):
        if index % 2:
            metered = await timed_worker(env, jobs, True)
            bare = await timed_worker(env, jobs, False)
        else:
            bare = await timed_worker(env, jobs, False)
            metered = await timed_worker(env, jobs, True)
        ratios.append(metered / bare)
        print(
            f"round {index + 1}: bare {bare / jobs * 1e6:7.1f} us/job, "
            f"metered {metered / jobs * 1e6:7.1f} us/job, ratio {metered / bare:.3f}"
        )
    return ratios


async def hook_cost(env: dict[str, str], calls: int) -> float:
    """Seconds per delivery the metrics hook itself takes (tally, then one flush at the end),
    timed alone: the end-to-end ratio above is at the mercy of a busy machine's noise."""
    settings = {k: v for k, v in env.items() if k != "STORE"} | {
        "QUEUE_METRICS_STORE": env["STORE"]
    }
    application = Application(config=ConfigRepository.with_environment(settings)).bootstrap()
    try:
        manager = application.container.make(QueueManager)
        recorder = application.container.make(QueueMetrics).recorder
        payload: dict[str, object] = {"display_name": "NoopJob", "pushed_at": time.time()}
        reserved = ReservedJob("1", "default", "{}", 1, "memory")
        run = JobRun(manager.connection("memory"), reserved, payload, None, time.time(), 1e-4)
        started = time.perf_counter()
        for _ in range(calls):
            await recorder.succeeded(run)
        await recorder.flush()
        return (time.perf_counter() - started) / calls
    finally:
        await application.shutdown()
        set_root_container(None)


def main() -> None:
    """Parse the arguments, run the rounds and print the range of ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--store", choices=["database", "redis"], default="database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        database_url = f"sqlite+aiosqlite:///{Path(scratch) / 'bench.sqlite'}"
        asyncio.run(migrate_database(database_url))
        env = {
            "DATABASE_URL": database_url,
            "CACHE_STORE": "array",
            "LOG_LEVEL": "WARNING",
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "REDIS_PREFIX": "bench-metrics:",
            "STORE": args.store,
            "APP_KEY": os.environ.get("APP_KEY", "base64:" + "B" * 43 + "="),
        }
        ratios = asyncio.run(measure(env, args.jobs, args.rounds))
        bare = asyncio.run(timed_worker(env, args.jobs, False)) / args.jobs
        hook = min(asyncio.run(hook_cost(env, 50_000)) for _ in range(3))
    print(
        f"hook alone: {hook * 1e6:.2f} us per job = {hook / bare:.2%} of a bare no-op job "
        f"({bare * 1e6:.0f} us through the worker)"
    )
    print(
        f"metered/bare over {args.rounds} rounds of {args.jobs} no-op jobs ({args.store} store): "
        f"min {min(ratios):.3f}, median {statistics.median(ratios):.3f}, max {max(ratios):.3f} "
        f"(target < {TARGET})"
    )


if __name__ == "__main__":
    main()
