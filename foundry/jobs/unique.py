"""Unique jobs: at most one copy queued or running per ``unique_id()``.

```python
class RebuildReport(Job, ShouldBeUnique):
    unique_for = 3600                  # the lock expires by itself after an hour at most

    def __init__(self, report_id: int) -> None:
        self.report_id = report_id

    def unique_id(self) -> str:
        return str(self.report_id)
```

The lock is a cache lock taken at dispatch (a second dispatch while it is held is skipped and
returns ``None``) and released when the job succeeds or fails for good. A job abandoned by a dead
worker keeps it until it is retried to an end, or until ``unique_for`` passes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.jobs.serialization import class_path

if TYPE_CHECKING:
    from foundry.cache.manager import CacheManager
    from foundry.jobs.job import Job

__all__ = ["ShouldBeUnique", "acquire_unique_lock", "release_unique_lock", "unique_lock_name"]


class ShouldBeUnique:
    """Mix into a job to keep one copy at a time."""

    #: Seconds the lock lives at most (0: until the job ends).
    unique_for: int = 0

    def unique_id(self) -> str:
        """What tells two copies apart (default: one copy per class)."""
        return ""


def unique_lock_name(job: Job) -> str:
    """The cache lock name of a unique job."""
    assert isinstance(job, ShouldBeUnique)
    return f"queue:unique:{class_path(type(job))}:{job.unique_id()}"


async def acquire_unique_lock(job: Job, cache: CacheManager) -> bool:
    """Take the job's lock; False when another copy holds it."""
    assert isinstance(job, ShouldBeUnique)
    return await cache.store().lock(unique_lock_name(job), job.unique_for).acquire()


async def release_unique_lock(job: Job, cache: CacheManager) -> None:
    """Free the job's lock (on success, on final failure)."""
    await cache.store().lock(unique_lock_name(job), 0).force_release()
