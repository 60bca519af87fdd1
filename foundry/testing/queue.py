"""``await work_queue(app)``: run every waiting job in this process, as ``queue:work`` would."""

from __future__ import annotations

from collections.abc import Sequence

from foundry.kernel.application import Application
from foundry.queue import QueueManager
from foundry.queue.worker import Worker, WorkerOptions

__all__ = ["work_queue"]


async def work_queue(
    app: Application,
    connection: str | None = None,
    *,
    queues: Sequence[str] = (),
    tries: int = 1,
    timeout: float = 10.0,
) -> None:
    """Work ``connection`` (default: ``QUEUE_CONNECTION``) until its queues are empty.

    Jobs run in this process with the app's container, so fakes (``Mail.fake()``) see them.
    The worker joins no registry and starts no background task: a test's database session may
    hold the only connection.
    """
    options = WorkerOptions(
        queues=list(queues),
        tries=tries,
        timeout=timeout,
        sleep=0,
        memory=0,
        stop_when_empty=True,
        heartbeat=False,
    )
    await Worker(app.container.make(QueueManager), connection, options).run()
