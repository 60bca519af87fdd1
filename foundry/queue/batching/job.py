"""``BatchableJob``: a job that can run in a batch and read it while it runs.

```python
class ImportCsvJob(BatchableJob):
    def __init__(self, path: str) -> None:
        self.path = path

    async def handle(self) -> None:
        batch = await self.batch()
        if batch is not None and batch.cancelled():
            return  # the batch was cancelled (by cancel() or a failure it does not allow)
        ...
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.jobs.job import Job
from foundry.kernel.facades import facade
from foundry.queue.batching.repository import BatchRepository

if TYPE_CHECKING:
    from foundry.queue.batching.batch import Batch

__all__ = ["BatchableJob"]


class BatchableJob(Job):
    """Base class of jobs that go in a :func:`~foundry.queue.batching.batch`.

    ``batch_id`` is a field like the others (Laravel's ``$batchId``): set when the batch is
    dispatched, stored in the payload, ``None`` for a job dispatched on its own.
    """

    batch_id: str | None = None

    async def batch(self) -> Batch | None:
        """The batch as stored now (progress, ``cancelled()``, ``add()``), or ``None`` outside
        a batch or when the batch was pruned."""
        if not self.batch_id:
            return None
        return await facade(BatchRepository).find(self.batch_id)
