"""``WorkerHeartbeat``: a worker's entry in the registry, refreshed every few seconds.

A worker starts one when it starts, tells it which job it runs, and stops it when it exits
cleanly (which takes it off the registry and writes the metrics it still holds). A worker that
dies stops beating, and once its last heartbeat is older than ``QUEUE_WORKER_GONE_AFTER`` the
registry reports it gone.

The database worker beats from a task on its own event loop (its jobs never block the loop:
synchronous handles run on threads). rq's worker blocks in Redis between jobs, so its heartbeat
runs on a thread of its own, with its own event loop and store connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from foundry.queue.metrics.store import MetricsStore, WorkerInfo

if TYPE_CHECKING:
    from foundry.queue.manager import QueueManager
    from foundry.queue.metrics.service import QueueMetrics

__all__ = ["WorkerHeartbeat"]

logger = logging.getLogger("foundry.queue")


class WorkerHeartbeat:
    """Registers one worker process and keeps its heartbeat fresh."""

    def __init__(
        self,
        metrics: QueueMetrics | None,
        *,
        connection: str,
        queues: Sequence[str],
        name: str,
        interval: float,
        memory: Callable[[], float] = lambda: 0.0,
    ) -> None:
        """``metrics`` is ``None`` when metrics are off: the heartbeat then does nothing;
        ``memory`` gives the process's resident memory in MB."""
        self.metrics = metrics
        self.memory = memory
        self.interval = interval
        self.id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.name = name
        self.connection = connection
        self.queues = tuple(queues)
        self.started_at = time.time()
        self.jobs_done = 0
        #: (queue, job id, payload text or rq job) of the job running now.
        self._current: tuple[str, str, object] | None = None
        self._stopping = threading.Event()
        self._task: asyncio.Task[None] | None = None
        #: Set by :meth:`stop` for the task of :meth:`start` (the thread waits on ``_stopping``).
        self._wake: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._failing = False
        self._beat_at = float("-inf")

    @classmethod
    def of(
        cls,
        manager: QueueManager,
        connection: str,
        queues: Sequence[str],
        name: str,
        memory: Callable[[], float],
    ) -> WorkerHeartbeat:
        """The heartbeat of a worker of ``manager``'s app (inert when metrics are off)."""
        from foundry.queue.metrics.service import QueueMetrics

        container = manager.container
        metrics = container.make(QueueMetrics) if container.bound(QueueMetrics) else None
        if metrics is not None and metrics.kind == "off":
            metrics = None
        return cls(
            metrics,
            connection=connection,
            queues=queues,
            name=name,
            interval=manager.settings.worker_heartbeat_seconds,
            memory=memory,
        )

    @classmethod
    def inert(cls, connection: str, queues: Sequence[str], name: str) -> WorkerHeartbeat:
        """A heartbeat that registers nothing and runs no task."""
        return cls(None, connection=connection, queues=queues, name=name, interval=0.0)

    # -- what the worker tells it ---------------------------------------------------------------

    @contextlib.contextmanager
    def running(self, queue: str, job_id: str, payload: object = None) -> Iterator[None]:
        """Mark the job a worker runs inside this block.

        ``payload`` is the payload text, or an rq job whose first argument it is; it is read
        only when a heartbeat describes the job, never per job.
        """
        self._current = (queue, job_id, payload)
        try:
            yield
        finally:
            self._current = None
            self.jobs_done += 1

    def snapshot(self) -> WorkerInfo:
        """The worker as its next heartbeat describes it."""
        return WorkerInfo(
            id=self.id,
            name=self.name,
            connection=self.connection,
            host=socket.gethostname(),
            pid=os.getpid(),
            queues=self.queues,
            current_job=self._describe(self._current),
            jobs_done=self.jobs_done,
            memory_mb=round(self.memory(), 1),
            started_at=self.started_at,
            heartbeat_at=time.time(),
        )

    @staticmethod
    def _describe(current: tuple[str, str, object] | None) -> str | None:
        if current is None:
            return None
        queue, job_id, payload = current
        name = "job"
        try:
            if not isinstance(payload, str) and payload is not None:
                payload = payload.args[0]  # type: ignore[attr-defined]  # an rq job
            data = json.loads(payload) if isinstance(payload, str) else {}
            name = str(data.get("display_name") or data.get("job") or name)
        except Exception:  # a description must never break a heartbeat
            pass
        return f"{queue}: {name} [{job_id}]"

    # -- beating --------------------------------------------------------------------------------

    @property
    def _tick(self) -> float:
        # Wake for whichever is due first: the next beat or the next metrics write.
        assert self.metrics is not None
        return max(0.05, min(self.interval, self.metrics.recorder.flush_every))

    async def start(self) -> None:
        """Beat (and write the metrics) from a task on the running event loop; the first beat
        registers the worker, and the worker's loop does not wait for it."""
        if self.metrics is None:
            return
        self.metrics.recorder.background = True
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._beat_until_stopped(self.metrics.store()))

    def start_thread(self) -> None:
        """Beat from a thread with its own loop and connections (for a worker whose loop
        blocks between jobs, like rq's)."""
        if self.metrics is None:
            return
        metrics = self.metrics
        metrics.recorder.background = True

        def main() -> None:
            loop = asyncio.new_event_loop()
            store = metrics.fresh_store()
            try:
                loop.run_until_complete(self._due(store))
                while not self._stopping.wait(self._tick):
                    loop.run_until_complete(self._due(store))
            finally:
                loop.run_until_complete(store.aclose())
                loop.close()

        self._thread = threading.Thread(target=main, name="queue-heartbeat", daemon=True)
        self._thread.start()

    async def _beat_until_stopped(self, store: MetricsStore) -> None:
        # Ended by an event, not by cancelling: a cancel landing inside a database write can be
        # swallowed by the driver (aiosqlite did), and a loop waiting for one would run forever.
        assert self._wake is not None
        while not self._wake.is_set():
            await self._due(store)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._tick)

    async def _due(self, store: MetricsStore) -> None:
        """Beat and write the metrics, each if its time has come."""
        assert self.metrics is not None
        if time.monotonic() - self._beat_at >= self.interval:
            self._beat_at = time.monotonic()
            await self._beat(store)
        if self.metrics.recorder.due():
            await self.metrics.recorder.flush(store)

    async def _beat(self, store: MetricsStore) -> None:
        try:
            await store.beat(self.snapshot())
        except Exception as exc:  # a missed beat ages the entry; it must not stop the worker
            if not self._failing:
                logger.warning("worker heartbeat not written: %s", exc)
            self._failing = True
            return
        self._failing = False

    async def stop(self) -> None:
        """Stop beating, write the metrics still held, and leave the registry."""
        if self.metrics is None:
            return
        self._stopping.set()
        if self._wake is not None:
            self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), self._tick + 10)
            except TimeoutError:  # a write that hangs: give up on it rather than on the stop
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, self._tick + 10)
        self.metrics.recorder.background = False
        await self.metrics.recorder.flush()
        try:
            await self.metrics.store().forget_worker(self.id)
        except Exception as exc:  # it will show as gone after QUEUE_WORKER_GONE_AFTER
            logger.warning("worker %s not taken off the registry: %s", self.id, exc)
