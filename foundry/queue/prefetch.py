"""A worker's prefetch buffer: several jobs reserved in one round trip, run one by one.

Reserving costs a round trip to the database; a no-op job costs far less. So a worker whose jobs
are quick reserves several at once (up to ``QUEUE_PREFETCH``) and keeps them in order here. How
many it takes follows the measured job time: about :data:`BATCH_SECONDS` of work per batch,
starting from one and at most doubling from one batch to the next, so slow jobs are still taken
one at a time and other workers are not starved.

A prefetched job's ``retry_after`` runs from its reservation, not from its start. A job that
waited here longer than :attr:`Prefetcher.max_age` is not started: it and the rest of the
buffer are given back (available at once, the reservation not counted) and the worker reserves
afresh. A stopping worker gives its buffer back too, so no job waits out ``retry_after``.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence

from foundry.queue.drivers.base import PollingDriver, ReservedJob

__all__ = ["BATCH_SECONDS", "MAX_AGE", "Prefetcher"]

#: The work, in seconds of measured job time, a batch aims at.
BATCH_SECONDS = 0.25
#: The longest a prefetched job may wait before it starts, in seconds (less when ``retry_after``
#: leaves less room beyond the worker's timeout).
MAX_AGE = 1.0
#: Weight of the latest job in the moving average of job time.
_SMOOTHING = 0.2


class Prefetcher:
    """Hands a worker its next job from the buffer, refilling it from the listed queues."""

    def __init__(
        self, driver: PollingDriver, queues: Sequence[str], *, limit: int, timeout: float
    ) -> None:
        """
        Args:
            driver: the connection's back end.
            queues: the worker's queues, in the order it works them.
            limit: the most jobs one reserve takes (``QUEUE_PREFETCH``; 1 turns prefetch off).
            timeout: the worker's ``--timeout``: a job started must end before ``retry_after``.
        """
        self.driver = driver
        self.queues = list(queues)
        #: Queues paused with ``queue:pause``: not reserved from (the worker keeps it current).
        self.paused: frozenset[str] = frozenset()
        self.limit = max(1, limit)
        room = (driver.retry_after - timeout) / 2 if driver.retry_after is not None else MAX_AGE
        #: Seconds a prefetched job may wait in the buffer before it is given back unstarted.
        self.max_age = max(0.0, min(MAX_AGE, room))
        self._buffer: deque[ReservedJob] = deque()
        self._size = 1
        self._job_seconds: float | None = None

    @property
    def held(self) -> int:
        """How many reserved jobs wait in the buffer."""
        return len(self._buffer)

    async def next(self, room: int) -> ReservedJob | None:
        """The next job to run, or ``None`` when every queue is empty.

        Args:
            room: how many more jobs the worker may run (``--once``, ``--max-jobs``): a reserve
                never takes more.
        """
        if self._buffer:
            job = self._buffer[0]
            if job.reserved_at is None or time.time() - job.reserved_at <= self.max_age:
                return self._buffer.popleft()
            await self.give_back()  # it (and those after it) waited too long: reserve afresh
        for queue in self.queues:
            if queue in self.paused:
                continue
            batch = await self.driver.reserve(queue, max(1, min(self._batch_size(), room)))
            if batch:
                self._buffer.extend(batch[1:])
                return batch[0]
        return None

    def ran(self, seconds: float) -> None:
        """Note how long a job took (the batch size follows it)."""
        if self._job_seconds is None:
            self._job_seconds = seconds
        else:
            self._job_seconds += _SMOOTHING * (seconds - self._job_seconds)

    async def give_back(self) -> None:
        """Return every buffered job to its queue, available at once."""
        held = list(self._buffer)
        self._buffer.clear()  # even if giving back fails, they are not ours to run any more
        if held:
            await self.driver.give_back(held)

    def _batch_size(self) -> int:
        if self._job_seconds is None or self.limit == 1:
            return 1
        fits = int(min(BATCH_SECONDS, self.max_age / 2) / max(self._job_seconds, 1e-6))
        self._size = max(1, min(self.limit, fits, self._size * 2))
        return self._size
