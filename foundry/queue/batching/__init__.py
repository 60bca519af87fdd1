"""Job batches (Laravel's ``Bus::batch``): jobs that run in parallel, tracked together.

```python
from foundry.queue import Batch, batch

batch_id = await batch([ImportCsvJob(p) for p in paths]).name("Imports").then(done).dispatch()
found = await Batch.find(batch_id)
print(found.progress(), found.failed_jobs, found.finished())
```

``QUEUE_BATCHING`` picks where batches live: ``database`` (the ``job_batches`` table, default)
or ``redis``. A member may be a chain (a list of jobs, or ``chain([...])``), and a batch may be
a link of a chain (:mod:`.nesting`). See the README's "Batches" section for the lifecycle.
"""

from __future__ import annotations

from foundry.queue.batching.batch import Batch, BatchCounts
from foundry.queue.batching.callbacks import BatchCallbackJob, InvalidBatchCallbackError
from foundry.queue.batching.database import DatabaseBatchRepository
from foundry.queue.batching.hook import BatchLifecycleHook
from foundry.queue.batching.job import BatchableJob
from foundry.queue.batching.nesting import BatchLink
from foundry.queue.batching.pending import PendingBatch, batch
from foundry.queue.batching.redis import RedisBatchRepository
from foundry.queue.batching.repository import BatchRepository
from foundry.queue.batching.retry import BatchRetry, retry_batch

__all__ = [
    "Batch",
    "BatchCallbackJob",
    "BatchCounts",
    "BatchLifecycleHook",
    "BatchLink",
    "BatchRepository",
    "BatchRetry",
    "BatchableJob",
    "DatabaseBatchRepository",
    "InvalidBatchCallbackError",
    "PendingBatch",
    "RedisBatchRepository",
    "batch",
    "retry_batch",
]
