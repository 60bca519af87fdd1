"""Recently completed jobs: recorded by a lifecycle hook, trimmed on write, read by the dashboard.

Database connections' jobs go to the ``completed_jobs`` table, redis connections' to capped
sorted sets under ``REDIS_PREFIX``; ``QUEUE_COMPLETED_RETENTION_MINUTES`` (60, as Horizon) and
``QUEUE_COMPLETED_MAX`` bound both. Only the name, queue, runtime, attempts and time are kept,
never the payload.
"""

from foundry.queue.completed.database_store import DatabaseCompletedStore
from foundry.queue.completed.record import CompletedJob
from foundry.queue.completed.recorder import CompletedRecorder
from foundry.queue.completed.redis_store import RedisCompletedStore
from foundry.queue.completed.service import CompletedJobs, CompletedPage
from foundry.queue.completed.store import CompletedStore

__all__ = [
    "CompletedJob",
    "CompletedJobs",
    "CompletedPage",
    "CompletedRecorder",
    "CompletedStore",
    "DatabaseCompletedStore",
    "RedisCompletedStore",
]
