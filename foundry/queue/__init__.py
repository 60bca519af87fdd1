"""The queue battery: connections (sync, database, redis via rq, memory), workers, failed jobs.

```python
from foundry.queue import Queue

job_id = await SendEmailJob.dispatch("ada@example.com", "Hi")
fake = Queue.fake()
fake.assert_pushed(SendEmailJob)
chain_id = await chain([ExtractDataJob(), LoadDataJob()]).name("ETL").dispatch()
```
"""

from __future__ import annotations

from foundry.config.queue import QueueDefinition
from foundry.kernel.facades import facade
from foundry.queue.batching import Batch, BatchableJob, PendingBatch, batch
from foundry.queue.chaining import ChainableJob, ChainFailure, PendingChain, chain
from foundry.queue.drivers.base import (
    PollingDriver,
    PushItem,
    QueueCounts,
    QueueDriver,
    ReservedJob,
)
from foundry.queue.errors import QueueFullError, UnknownConnectionError, UnknownQueueError
from foundry.queue.events import JobFailed, JobProcessed, JobProcessing, JobQueued, JobReleased
from foundry.queue.failed import FailedJob, FailedJobStore
from foundry.queue.fake import QueueFake
from foundry.queue.manager import QueueManager

__all__ = [
    "Batch",
    "BatchableJob",
    "ChainFailure",
    "ChainableJob",
    "FailedJob",
    "FailedJobStore",
    "JobFailed",
    "JobProcessed",
    "JobProcessing",
    "JobQueued",
    "JobReleased",
    "PendingBatch",
    "PendingChain",
    "PollingDriver",
    "PushItem",
    "Queue",
    "QueueCounts",
    "QueueDriver",
    "QueueFake",
    "QueueFullError",
    "QueueManager",
    "ReservedJob",
    "UnknownConnectionError",
    "UnknownQueueError",
    "batch",
    "chain",
    "define_queue",
]

#: The queue manager of the running app, typed as :class:`QueueManager`.
Queue: QueueManager = facade(QueueManager)


def define_queue(
    name: str,
    *,
    connection: str | None = None,
    max_jobs: int | None = None,
    rate_limit_enabled: bool = False,
) -> QueueDefinition:
    """Declare queue ``name`` on the running app (see :meth:`QueueManager.define_queue`)."""
    return Queue.define_queue(
        name, connection=connection, max_jobs=max_jobs, rate_limit_enabled=rate_limit_enabled
    )
