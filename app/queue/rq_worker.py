"""``queue:work redis``: rq's ``SimpleWorker`` running our entry point, with our options.

Differences from rq's defaults, and why:

* The heartbeat TTL of a running job is the connection's ``retry_after``, and registry
  maintenance runs every ``retry_after / 3`` seconds (at least 1, at most 60) instead of every
  ten minutes, while the worker wakes from its blocking pop at the same pace. So a job whose
  worker was killed is put back by rq's own ``StartedJobRegistry.cleanup`` (through the rq job's
  ``Retry``) within about ``retry_after`` plus that interval, not ~10 minutes later.
* Registry maintenance takes a lock that expires after two intervals (rq's lives 15 minutes,
  so a worker killed while cleaning would block the others that long).
* ``SimpleWorker`` (no fork per job) keeps the app, its pools and its event loop warm.
* ``--max-time``, ``--memory`` and ``queue:restart`` are checked at each heartbeat, and a
  thread that overran its timeout makes the worker exit.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from rq import SimpleWorker
from rq.exceptions import StopRequested
from rq.serializers import JSONSerializer

from app.queue.drivers.redis import RedisDriver
from app.queue.drivers.rq_entry import RqRuntime, install_runtime
from app.queue.manager import QueueManager, check_queue_name
from app.queue.runner import JobRunner
from app.queue.stats import ProcessedCounter
from app.queue.worker import RESTART_KEY, WorkerOptions, check_timeout, memory_mb

if TYPE_CHECKING:
    from rq.job import Job as RqJob

    from app.support.application import Application

__all__ = ["FoundryRqWorker", "run_rq_worker"]


class FoundryRqWorker(SimpleWorker):
    """rq's in-process worker, tuned for ``retry_after`` and our stop conditions."""

    def __init__(
        self, queues: list[str], *, runtime: RqRuntime, options: WorkerOptions, **kwargs: Any
    ) -> None:
        retry_after = int(runtime.driver.retry_after or 90)
        self.poll_interval = max(1, min(60, retry_after // 3))
        super().__init__(queues, maintenance_interval=self.poll_interval, **kwargs)
        self.retry_after = retry_after
        self.runtime = runtime
        self.options = options
        self.started = time.monotonic()
        self.checked_at = 0.0
        self.restart_at = self._restart_time()

    @property
    def dequeue_timeout(self) -> int:
        """Wake up often enough to run maintenance and notice stop conditions."""
        return self.poll_interval

    def get_heartbeat_ttl(self, job: RqJob, working_time: float = 0.0) -> int:
        """A running job is presumed abandoned ``retry_after`` seconds after it started."""
        return self.retry_after

    def clean_registries(self) -> None:
        """rq's registry maintenance, under a lock that expires after two intervals.

        rq's own lock lives 899 seconds: a worker killed while cleaning would stop every other
        worker from putting abandoned jobs back for 15 minutes.
        """
        from rq import worker_registration
        from rq.registry import clean_registries

        for queue in self.queues:
            key = queue.registry_cleaning_key
            if self.connection.set(key, 1, nx=True, ex=2 * self.poll_interval):
                try:
                    clean_registries(queue, self._exc_handlers)
                    worker_registration.clean_worker_registry(queue)
                    self._requeue_stranded(queue)
                finally:
                    self.connection.delete(key)
        self.last_cleaned_at = datetime.now(timezone.utc)  # type: ignore[assignment]  # rq annotates it None

    def _requeue_stranded(self, queue: Any) -> None:
        """Put back jobs a killed worker left between the queue and the started registry.

        rq moves a job to an intermediate list before it registers the job as started; a worker
        killed in between leaves it there, and rq's own cleanup fails such a job after a minute.
        At least once means running it again: a job seen stranded on two passes ``retry_after``
        apart goes back to the front of its queue (a live worker registers within moments).
        """
        from rq.job import JobStatus

        stranded = queue.intermediate_queue
        for job_id in stranded.get_job_ids():
            if job_id in queue.started_job_registry:
                continue
            job = queue.fetch_job(job_id)
            if job is None:
                stranded.remove(job_id)
                continue
            if stranded.set_first_seen(job_id):
                continue
            first_seen = stranded.get_first_seen(job_id)
            if first_seen is None:
                continue
            if (datetime.now(timezone.utc) - first_seen).total_seconds() < self.retry_after:
                continue
            with self.connection.pipeline() as pipe:
                job.set_status(JobStatus.QUEUED, pipeline=pipe)
                queue.push_job_id(job_id, pipeline=pipe, at_front=True)
                pipe.lrem(stranded.key, 1, job_id)
                pipe.delete(stranded.get_first_seen_key(job_id))
                pipe.execute()
            self.log.warning("job %s was stranded by a dead worker; queued again", job_id)

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        """rq's heartbeat, plus our stop conditions when not inside a pipeline."""
        super().heartbeat(timeout, pipeline)
        if pipeline is None and self._should_stop():
            raise StopRequested()

    def _should_stop(self) -> bool:
        runtime, options = self.runtime, self.options
        if runtime.runner.tainted:
            return True
        if options.max_time and time.monotonic() - self.started >= options.max_time:
            return True
        if options.memory and memory_mb() >= options.memory:
            self.log.warning(
                "worker memory %.0f MB reached --memory=%d", memory_mb(), options.memory
            )
            return True
        if time.monotonic() - self.checked_at >= 1.0:
            self.checked_at = time.monotonic()
            runtime.loop.run_until_complete(runtime.counter.flush())
            if self._restart_time() != self.restart_at:
                return True
        return False

    def _restart_time(self) -> object:
        manager = self.runtime.runner.manager
        return self.runtime.loop.run_until_complete(manager.cache().store().get(RESTART_KEY))


def run_rq_worker(application: Application, connection: str | None, options: WorkerOptions) -> int:
    """Work a redis connection with rq until a stop condition; returns the exit code."""
    manager = application.container.make(QueueManager)
    driver = manager.connection(connection)
    if not isinstance(driver, RedisDriver):
        raise TypeError(f"connection {driver.name!r} is not a redis connection")
    check_timeout(driver, options.timeout)
    queues = options.queues or [driver.default_queue]
    for queue in queues:
        check_queue_name(queue)
    loop = asyncio.new_event_loop()
    runner = JobRunner(manager, options.defaults())
    runtime = RqRuntime(application, loop, driver, runner, ProcessedCounter(manager, driver.name))
    install_runtime(runtime)
    rq_names = [name for queue in queues for name in driver.rq_names(queue)]
    worker = FoundryRqWorker(
        rq_names,
        name=f"{options.name}-{uuid.uuid4().hex[:8]}",
        connection=driver.redis(),
        serializer=JSONSerializer,
        runtime=runtime,
        options=options,
    )
    try:
        worker.work(
            burst=options.stop_when_empty or options.once,
            max_jobs=1 if options.once else (options.max_jobs or None),
            with_scheduler=True,
            logging_level="WARNING",
        )
        loop.run_until_complete(runtime.counter.flush())
        loop.run_until_complete(application.shutdown())
    finally:
        install_runtime(None)
        loop.close()
    return 1 if runner.tainted else 0
