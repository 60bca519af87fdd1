"""``CompletedJobs``: the read API over recently completed jobs, and their recorder.

```python
completed = app.container.make(CompletedJobs)
page = await completed.recent(queue="emails", page=1)
for job in page.jobs:
    print(job.name, job.queue, job.runtime_ms, job.attempts, job.finished_at)
```
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from foundry.queue.completed.database_store import DatabaseCompletedStore
from foundry.queue.completed.record import CompletedJob
from foundry.queue.completed.recorder import CompletedRecorder
from foundry.queue.completed.redis_store import RedisCompletedStore
from foundry.queue.completed.store import CompletedStore
from foundry.queue.drivers.database import DatabaseDriver
from foundry.queue.drivers.redis import RedisDriver

if TYPE_CHECKING:
    from foundry.queue.drivers.base import QueueDriver
    from foundry.queue.manager import QueueManager

__all__ = ["CompletedJobs", "CompletedPage"]

logger = logging.getLogger("foundry.queue")


@dataclass(slots=True)
class CompletedPage:
    """One page of completed jobs, newest first, and the stores that could not be read."""

    jobs: list[CompletedJob]
    page: int
    per_page: int
    has_more: bool
    unavailable: dict[str, str] = field(default_factory=dict)

    def meta(self) -> dict[str, Any]:
        """The page's ``meta`` for a JSON answer."""
        return {
            "page": self.page,
            "per_page": self.per_page,
            "has_more": self.has_more,
            "unavailable": self.unavailable,
        }


class CompletedJobs:
    """Where each connection's completed jobs are kept, written by :attr:`recorder`; a
    singleton."""

    def __init__(self, manager: QueueManager, *, clock: Callable[[], float] = time.time) -> None:
        """
        Args:
            manager: the queue manager (its settings and connections).
            clock: wall-clock time; tests pass a frozen one.
        """
        self.manager = manager
        settings = manager.settings
        self.retention = settings.completed_retention_minutes * 60
        self.limit = settings.completed_max
        self.clock = clock
        self._stores: dict[str, CompletedStore | None] = {}
        self.recorder = CompletedRecorder(
            self.store_for, flush_every=settings.completed_flush_seconds, clock=clock
        )

    @property
    def enabled(self) -> bool:
        """Whether completed jobs are recorded (``QUEUE_COMPLETED_MAX`` above 0)."""
        return self.limit > 0

    def store_for(self, driver: QueueDriver) -> CompletedStore | None:
        """The store of ``driver``'s completed jobs; ``None`` for drivers whose jobs no other
        process could list (``sync``, ``memory``)."""
        if driver.name not in self._stores:
            store: CompletedStore | None = None
            if isinstance(driver, DatabaseDriver):
                store = DatabaseCompletedStore(driver.database, self.retention, self.limit)
            elif isinstance(driver, RedisDriver):
                store = RedisCompletedStore(driver, self.retention, self.limit)
            self._stores[driver.name] = store
        return self._stores[driver.name]

    def stores(self, *, redis: bool = True) -> list[CompletedStore]:
        """The stores of every configured connection, each once (database connections share
        the table); redis ones only with ``redis`` (the app talks to Redis)."""
        found: dict[str, CompletedStore] = {}
        for name, config in self.manager.settings.all_connections().items():
            if config.driver == "database" or (config.driver == "redis" and redis):
                store = self.store_for(self.manager.connection(name))
                if store is not None:
                    found.setdefault(store.key, store)
        return list(found.values())

    async def recent(
        self, queue: str | None = None, page: int = 1, per_page: int = 50, *, redis: bool = True
    ) -> CompletedPage:
        """Completed jobs of the retention window (of ``queue`` only, if given), newest first.

        A store that cannot be read is named in :attr:`CompletedPage.unavailable`.
        """
        start = (page - 1) * per_page
        stores = self.stores(redis=redis)
        unavailable: dict[str, str] = {}
        found: list[CompletedJob] = []
        for store in stores:
            try:
                if len(stores) == 1:
                    found = await store.recent(queue or None, start, per_page + 1)
                    start = 0
                else:  # merged by time: each store's newest, up to the end of this page
                    found += await store.recent(queue or None, 0, start + per_page + 1)
            except Exception as exc:  # an unreachable back end is shown, not a 500
                logger.warning("completed jobs: cannot read %s: %s", store.key, exc)
                unavailable[store.key.split(":", 1)[0]] = f"{type(exc).__name__}: {exc}"
        found.sort(key=lambda job: job.finished_at, reverse=True)
        return CompletedPage(
            found[start : start + per_page],
            page,
            per_page,
            len(found) > start + per_page,
            unavailable,
        )

    async def prune(self, now: float | None = None) -> int:
        """Drop what is past the retention or beyond ``QUEUE_COMPLETED_MAX``, everywhere."""
        now = self.clock() if now is None else now
        return sum([await store.prune(now) for store in self.stores()])

    async def aclose(self) -> None:
        """Write what the recorder holds."""
        if self.recorder.pending():
            await self.recorder.drain()
