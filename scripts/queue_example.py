"""``make queue-example``: the queue end to end on the embedded default (SQLite, database driver).

1. dispatches a report job, a job that fails once and is retried after its backoff, a delayed
   job and a bulk of ten, with the dispatch API;
2. works the queue in this process until it is empty, as ``artisan queue:work --stop-when-empty``
   would;
3. prints ``queue:stats``-style numbers.
"""

from __future__ import annotations

import asyncio
import logging

from app.jobs.examples import BuildReportJob, FlakyApiCallJob
from foundry.kernel.application import Application
from foundry.queue import Queue, QueueManager
from foundry.queue.stats import collect_stats
from foundry.queue.worker import Worker, WorkerOptions


async def main() -> None:
    """Dispatch, work, report."""
    logging.basicConfig(level=logging.WARNING, format="  %(message)s")
    application = Application().bootstrap()
    try:
        first = await BuildReportJob.dispatch("daily", [1, 2, 3])
        print(f"dispatched BuildReportJob {first}")
        flaky = await FlakyApiCallJob("https://api.example.test/orders").with_priority(5).dispatch()
        print(f"dispatched FlakyApiCallJob {flaky} (priority 5: runs first)")
        later = await BuildReportJob("delayed", [10]).delay_until(2).dispatch()
        print(f"dispatched a delayed BuildReportJob {later} (available in 2 s)")
        ids = await Queue.bulk([BuildReportJob(f"bulk-{i}", [i]) for i in range(10)])
        print(f"bulk-dispatched {len(ids)} jobs in one round trip")
        manager = Queue.connection()
        print(f"working the '{manager.default_queue}' queue of connection '{manager.name}'...")
        worker = Worker(
            application.container.make(QueueManager),
            None,
            WorkerOptions(timeout=30, sleep=0.5, max_time=6, memory=0),
        )
        await worker.run()
        print(f"processed {worker.processed} deliveries")
        for row in await collect_stats(worker.manager):
            print(
                f"  {row.connection}/{row.queue}: pending {row.pending}, reserved {row.reserved}, "
                f"delayed {row.delayed}, failed {row.failed}, processed {row.processed}"
            )
    finally:
        await application.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
