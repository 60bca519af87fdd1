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
* A lost Redis connection never stops the worker (rq's loop quits on most of them): every
  step of the loop waits with back-off and jitter (:class:`~foundry.queue.outage.Outage`) and
  resumes, logging the outage once and its end once. A job whose bookkeeping the outage cut
  short is handed out again by the registry maintenance, as if its worker had died.
* rq's scheduler process (:mod:`foundry.queue.rq_scheduler`) dies with the worker, even one
  killed with SIGKILL.

Per job, rq's own bookkeeping takes about 28 Redis round trips (three unpipelined heartbeats,
two state writes, a suspension check, a pop per priority band, a fetch, two preparation
pipelines, and a success pipeline that first reads the job's status, dependents and executions
back one command at a time). This worker keeps rq's data model (the same keys, registries and
fields, so ``rq info`` and rq-dashboard see the same thing) and writes it in three:

1. one script pops the first job of the bands in order, moves it to that band's intermediate
   list (so a worker killed before it registers the job cannot lose it: see
   :meth:`FoundryRqWorker._requeue_stranded`) and returns the job hash;
2. one transaction registers the execution (started registry, worker and job fields) and takes
   the job off the intermediate list;
3. one transaction records the success and deletes the job (our jobs keep no result).

The worker's liveness writes (its heartbeat and the ``rq suspend`` check) happen at most about
once a second instead of several times per job, and a state write that repeats the state it
last wrote is skipped. Jobs that are not ours (another entry point, results kept, repeats,
groups, rate limits) go through rq's own code unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from rq import SimpleWorker
from rq.defaults import DEFAULT_LOGGING_DATE_FORMAT, DEFAULT_LOGGING_FORMAT
from rq.exceptions import DequeueTimeout, NoSuchJobError, StopRequested
from rq.executions import Execution
from rq.job import JobStatus
from rq.results import Result
from rq.serializers import JSONSerializer
from rq.worker import WorkerStatus

from foundry.queue.drivers.redis import ENTRY_POINT, RedisDriver
from foundry.queue.manager import QueueManager, check_queue_name
from foundry.queue.metrics.heartbeat import WorkerHeartbeat
from foundry.queue.outage import Outage, is_outage
from foundry.queue.pausing import paused_queues
from foundry.queue.rq_entry import RqRuntime, install_runtime
from foundry.queue.rq_scheduler import FoundryScheduler
from foundry.queue.runner import JobRunner
from foundry.queue.stats import ProcessedCounter
from foundry.queue.worker import RESTART_KEY, WorkerOptions, check_timeout, memory_mb

if TYPE_CHECKING:
    from redis.commands.core import Script
    from rq import Queue as RqQueue
    from rq.job import Job as RqJob

    from foundry.kernel.application import Application

__all__ = ["FoundryRqWorker", "run_rq_worker"]

logger = logging.getLogger("foundry.queue")
#: ``restart_at`` before the cache could be read.
_UNREAD = object()
#: Seconds the worker waits for its scheduler process to end, before and after killing it.
_SCHEDULER_STOP_WAIT = 10.0

#: Pops the first job id of KEYS[1..n] (the bands, in order), appends it to the matching
#: intermediate list KEYS[n+1..2n] as rq's own LMOVE does, and returns the band's key, the id and
#: the job hash (``HGETALL``), all in one round trip. ARGV[1] is rq's job key prefix.
_POP_JOB = """
local bands = #KEYS / 2
for i = 1, bands do
  local id = redis.call('LPOP', KEYS[i])
  if id then
    redis.call('RPUSH', KEYS[bands + i], id)
    return {KEYS[i], id, redis.call('HGETALL', ARGV[1] .. id)}
  end
end
return false
"""
#: Liveness writes (worker heartbeat, suspension check) at most this often, in seconds.
LIVENESS_INTERVAL = 1.0


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
        self.restart_at = self._first_restart_time()
        served = options.queues or [runtime.driver.default_queue]
        self.presence = WorkerHeartbeat.of(
            runtime.runner.manager, runtime.driver.name, served, options.name, memory_mb
        )
        #: Our queue of each rq queue (a queue's priority bands are rq queues of their own).
        self.owners = {band: queue for queue in served for band in runtime.driver.rq_names(queue)}
        #: Queues paused with ``queue:pause``: their rq queues are left out of the pops.
        self.paused: frozenset[str] = frozenset()
        self.pauses_read_at = float("-inf")
        # A worker key written with a short TTL (the job's, ``retry_after``) must be refreshed
        # well before it can expire, even if ``retry_after`` is tiny.
        self.liveness_interval = min(LIVENESS_INTERVAL, retry_after / 4)
        self.beat_at = float("-inf")
        self.suspension_checked_at = float("-inf")
        self.prepared_job_id: str | None = None
        #: The job being run through the lean bookkeeping (ours, see :meth:`_ours`).
        self.lean_job_id: str | None = None
        self._pop_script: Script | None = None
        self._bands: dict[str, RqQueue] = {}
        #: True only while blocked waiting for a job or riding out an outage: the only places
        #: where a stop signal may raise (see :meth:`_shutdown`).
        self._interruptible = False
        self.outage = Outage(
            f"queue connection {runtime.driver.name!r}",
            logger,
            max_wait=runtime.runner.manager.settings.reconnect_max_wait,
        )

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
        """rq's heartbeat, at most once per liveness interval, plus our stop conditions.

        rq calls it three times around every job, each time three commands sent one by one; the
        worker key lives minutes (or ``retry_after``, refreshed with every job's registration),
        so one pipelined write a second keeps the worker just as visible and alive.
        """
        if pipeline is not None:
            super().heartbeat(timeout, pipeline)
            return
        if time.monotonic() - self.beat_at >= self.liveness_interval:
            try:
                with self.connection.pipeline(transaction=False) as pipe:
                    super().heartbeat(timeout, pipe)
                    pipe.execute()
            except Exception as exc:
                # Redis is away: the wait for the next job notices and waits it out; a missed
                # beat only ages the worker's key.
                if not is_outage(exc):
                    raise
            self.beat_at = time.monotonic()
        if self._should_stop():
            raise StopRequested()

    def check_for_suspension(self, burst: bool) -> None:
        """rq's ``rq suspend`` check, at most once per liveness interval (it reads Redis)."""
        if time.monotonic() - self.suspension_checked_at < self.liveness_interval:
            return
        try:
            super().check_for_suspension(burst)
        except Exception as exc:  # rq's loop would quit: the wait for a job rides it out
            if not is_outage(exc):
                raise
        self.suspension_checked_at = time.monotonic()

    def set_state(self, state: str, pipeline: Any = None) -> None:
        """rq's state write, skipped when it would write the state it last wrote."""
        if pipeline is None and state == self._state:
            return
        super().set_state(state, pipeline)

    # -- per-job bookkeeping in three round trips ------------------------------------------------

    def dequeue_job_and_maintain_ttl(
        self, timeout: int | None, max_idle_time: int | None = None
    ) -> tuple[RqJob, RqQueue] | None:
        """Take a waiting job in one round trip; wait for one the way rq does when none is.

        Redis going away here (or in the heartbeat and maintenance around the wait) is waited
        out with back-off, without rq's log line per attempt; the worker never quits on it.
        """
        if max_idle_time is not None:  # not used by queue:work: rq's own loop handles it
            return super().dequeue_job_and_maintain_ttl(timeout, max_idle_time)
        while True:
            try:
                self._read_pauses()
                found = self._pop_job()
                if found is None:
                    found = self._wait_for_job(timeout)
            except DequeueTimeout:
                self.outage.recovered()
                continue
            except Exception as exc:
                if not is_outage(exc):
                    raise
                self.ride_out(exc)
                continue
            self.outage.recovered()
            return found

    def _read_pauses(self) -> None:
        """Take note of ``queue:pause`` / ``queue:continue`` (one cache read, at most once a second)."""
        if time.monotonic() - self.pauses_read_at < 1.0:
            return
        manager = self.runtime.runner.manager
        paused = frozenset(
            self.runtime.loop.run_until_complete(
                paused_queues(manager, self.runtime.driver.name, set(self.owners.values()))
            )
        )
        self.pauses_read_at = time.monotonic()
        if paused == self.paused:
            return
        self.paused = paused
        self._bands = {q.key: q for q in self.queues if self.owners.get(q.name) not in paused}
        self._ordered_queues = [q for q in self.queues if q.key in self._bands]
        if paused:
            self.log.info("paused queues: %s", ", ".join(sorted(paused)))

    def _wait_for_job(self, timeout: int | None) -> tuple[RqJob, RqQueue] | None:
        # rq's blocking pop over the bands (its dequeue loop, minus the retrying it does itself).
        self.set_state(WorkerStatus.IDLE)
        self.heartbeat()
        # Idle: write what the lifecycle hooks hold (completed jobs) before blocking.
        self.runtime.loop.run_until_complete(self.runtime.runner.manager.drain_lifecycle_hooks())
        if self.should_run_maintenance_tasks:
            self.run_maintenance_tasks()
        if not self._ordered_queues:  # every queue paused: wait for the next pause check
            if timeout is None:
                return None  # --stop-when-empty / --once: nothing to take
            with self._interruptible_step():
                time.sleep(min(1.0, timeout))
            raise DequeueTimeout(timeout)
        with self._interruptible_step():
            found = self.queue_class.dequeue_any(
                self._ordered_queues,
                timeout,
                connection=self.connection,
                job_class=self.job_class,
                serializer=self.serializer,
                death_penalty_class=self.death_penalty_class,
            )
        if found is not None:
            job, queue = found
            self.reorder_queues(reference_queue=queue)
            job.redis_server_version = self.get_redis_server_version()  # type: ignore[no-untyped-call]  # rq: unannotated
        return found

    def ride_out(self, exc: BaseException) -> None:
        """Wait before the next attempt to reach Redis (logged once per outage).

        A stop signal during the wait raises ``StopRequested`` from rq's handler, as it does
        while rq waits for a job.
        """
        with self._interruptible_step():
            time.sleep(self.outage.failed(exc))

    @contextlib.contextmanager
    def _interruptible_step(self) -> Iterator[None]:
        """A step a stop signal may cut short: a stop asked for before it starts ends it now."""
        if self._stop_requested:
            raise StopRequested()
        self._interruptible = True
        try:
            yield
        finally:
            self._interruptible = False

    def _shutdown(self) -> None:
        """rq's reaction to SIGTERM/SIGINT, made safe for an in-process worker.

        rq raises ``StopRequested`` from the signal handler whenever the worker is not busy, so
        a signal landing in the bookkeeping right after a job (its state already idle) broke
        that bookkeeping, was taken for the job's failure, and the worker ran on. Here the
        signal only raises while the worker waits for a job or for Redis to come back;
        anywhere else it asks rq's loop to stop at its next turn, as rq does for a busy worker.
        """
        if self._interruptible:
            raise StopRequested()
        self._stop_requested = True
        with contextlib.suppress(Exception):  # a dead Redis must not turn a stop into a crash
            self.set_shutdown_requested_date()  # type: ignore[no-untyped-call]  # rq: unannotated
        if self.scheduler:
            self.stop_scheduler()

    # -- the rest of rq's loop, made to outlast an outage ---------------------------------------

    def bootstrap(self, *args: Any, **kwargs: Any) -> None:
        """rq's start-up (register the worker, subscribe to commands), retried until Redis
        answers: a worker started during an outage waits for its end."""
        while True:
            try:
                super().bootstrap(*args, **kwargs)
            except Exception as exc:
                if not is_outage(exc):
                    raise
                self.ride_out(exc)
                continue
            self.outage.recovered()
            return

    def _start_scheduler(
        self,
        burst: bool = False,
        logging_level: str | None = "INFO",
        date_format: str = DEFAULT_LOGGING_DATE_FORMAT,
        log_format: str = DEFAULT_LOGGING_FORMAT,
    ) -> None:
        """rq's scheduler start (its ``_start_scheduler``), with a scheduler that dies with
        this process. During an outage it is left to the maintenance, which starts a scheduler
        whose process is not alive once the lock can be taken."""
        scheduler = FoundryScheduler(
            self.queues,
            connection=self.connection,
            logging_level=logging_level if logging_level is not None else self.log.level,
            date_format=date_format,
            log_format=log_format,
            serializer=self.serializer,
        )
        self.scheduler = scheduler
        try:
            scheduler.acquire_locks()  # type: ignore[no-untyped-call]  # rq: unannotated
            if not scheduler.acquired_locks:
                return
            if not burst:
                scheduler.start()
                return
            try:
                scheduler.register_birth()
                scheduler.enqueue_scheduled_jobs()  # type: ignore[no-untyped-call]  # rq
            finally:
                scheduler.release_locks()  # type: ignore[no-untyped-call]  # rq: unannotated
                scheduler.register_death()
        except Exception as exc:
            if not is_outage(exc):
                raise
            self.outage.failed(exc)

    def run_maintenance_tasks(self) -> None:
        """rq's maintenance (restart the scheduler, clean registries); skipped during an outage."""
        try:
            super().run_maintenance_tasks()  # type: ignore[no-untyped-call]  # rq: unannotated
        except Exception as exc:
            if not is_outage(exc):
                raise
            self.ride_out(exc)

    def execute_job(self, job: RqJob, queue: RqQueue) -> None:
        """Run one job; an outage in rq's bookkeeping around it is waited out, and the job is
        put back by the registry maintenance later (at least once)."""
        try:
            with self.presence.running(str(job.meta.get("queue") or queue.name), job.id, job):
                super().execute_job(job, queue)
        except Exception as exc:
            if not is_outage(exc):
                raise
            self.ride_out(exc)

    def teardown(self) -> None:
        """rq's goodbye (stop the scheduler, register the death); a dead Redis cannot take the
        death record, and that must not turn a clean stop into a failed one."""
        try:
            super().teardown()  # type: ignore[no-untyped-call]  # rq: unannotated
        except Exception as exc:
            if not is_outage(exc):
                raise
            logger.warning("worker %s stopped while Redis was unavailable: %s", self.name, exc)

    def stop_scheduler(self) -> None:
        """Stop the scheduler process (SIGTERM), as rq does, but never wait on it forever: one
        that does not end within a few seconds is killed."""
        # rq annotates ``_process`` as None; it holds the forked process once started.
        process: Any = self.scheduler._process if self.scheduler is not None else None
        if process is None or not process.pid:
            return
        with contextlib.suppress(OSError):
            os.kill(process.pid, signal.SIGTERM)
        process.join(_SCHEDULER_STOP_WAIT)
        if process.is_alive():
            process.kill()
            process.join(_SCHEDULER_STOP_WAIT)

    def _pubsub_exception_handler(self, exc: Exception, pubsub: Any, pubsub_thread: Any) -> None:
        # rq logs every retry of its command channel, every two seconds of an outage; the
        # worker's own line covers the outage.
        if is_outage(exc):
            time.sleep(2.0)
            return
        super()._pubsub_exception_handler(exc, pubsub, pubsub_thread)

    def _pop_job(self) -> tuple[RqJob, RqQueue] | None:
        if self._pop_script is None:
            self._pop_script = self.connection.register_script(_POP_JOB)
        if not self._bands and not self.paused:
            self._bands = {queue.key: queue for queue in self.queues}
        keys = list(self._bands)
        if not keys:
            return None
        intermediate = [self._bands[key].intermediate_queue_key for key in keys]
        while True:
            found = self._pop_script(
                keys=keys + intermediate, args=[self.job_class.redis_job_namespace_prefix]
            )
            if not found:
                return None
            queue = self._bands[found[0].decode()]
            job_id = found[1].decode()
            fields = found[2]
            job = self.job_class(job_id, connection=self.connection, serializer=self.serializer)
            try:
                if not fields:
                    raise NoSuchJobError(job_id)
                job.restore(dict(zip(fields[::2], fields[1::2])))
            except NoSuchJobError:
                # Deleted while it waited, or a hash without job data: rq skips such ids too,
                # and it must not look stranded.
                self.connection.lrem(queue.intermediate_queue_key, 1, job_id)
                continue
            # As rq's dequeue does (cached after the first call).
            job.redis_server_version = self.get_redis_server_version()  # type: ignore[no-untyped-call]  # rq: unannotated
            return job, queue

    def prepare_execution(self, job: RqJob) -> Execution:
        """rq's two preparation pipelines (execution, then job fields) as one transaction."""
        self.lean_job_id = job.id if self._ours(job) else None
        if self.lean_job_id is None:
            return super().prepare_execution(job)
        ttl = self.get_heartbeat_ttl(job)
        with self.connection.pipeline() as pipe:
            execution = Execution.create(job, ttl, pipeline=pipe, worker_name=self.name)
            self.executions[execution.id] = execution
            self.set_state(WorkerStatus.BUSY, pipeline=pipe)
            self.heartbeat(ttl, pipeline=pipe)
            # rq's job heartbeat writes last_heartbeat, which this mapping writes too.
            job.prepare_for_execution(self.name, pipeline=pipe)
            pipe.persist(job.key)
            pipe.lrem(self._queue_of(job).intermediate_queue_key, 1, job.id)
            pipe.execute()
        self.prepared_job_id = job.id
        return execution

    def prepare_job_execution(
        self, job: RqJob, remove_from_intermediate_queue: bool = False
    ) -> None:
        """Nothing left to do for a job :meth:`prepare_execution` prepared."""
        if self.prepared_job_id == job.id:
            self.prepared_job_id = None
            return
        super().prepare_job_execution(job, remove_from_intermediate_queue)

    def handle_execution_ended(self, job: RqJob, queue: RqQueue, heartbeat_ttl: int) -> None:
        """Skip rq's last job heartbeat for a finished job of ours: its hash is deleted next."""
        if job.id == self.lean_job_id and job.get_status(refresh=False) != JobStatus.FAILED:
            job.ended_at = job.last_heartbeat = datetime.now(timezone.utc)
            return
        super().handle_execution_ended(job, queue, heartbeat_ttl)

    def handle_job_success(
        self, job: RqJob, queue: RqQueue, started_job_registry: Any, execution: Execution
    ) -> None:
        """Record a success of ours in one transaction, without rq's read-backs.

        rq reads the job's dependents (under WATCH), its stored status and, twice, its
        executions before it deletes it; a job of ours has no dependents, is known to be
        started, and ran exactly the execution this worker holds.
        """
        if job.id != self.lean_job_id:
            super().handle_job_success(job, queue, started_job_registry, execution)
            return
        assert job.started_at is not None and job.ended_at is not None
        with self.connection.pipeline() as pipe:
            self.increment_successful_job_count(pipeline=pipe)
            self.increment_total_working_time(job.ended_at - job.started_at, pipe)
            self.cleanup_execution(job, pipeline=pipe, execution=execution)
            pipe.delete(
                job.key,
                job.dependents_key,
                job.dependencies_key,
                Result.get_key(job.id),  # type: ignore[no-untyped-call]  # rq: unannotated
                job.execution_registry.key,
            )
            # SimpleWorker writes IDLE right after this; here it rides along for free.
            self.set_state(WorkerStatus.IDLE, pipeline=pipe)
            pipe.execute()

    def _ours(self, job: RqJob) -> bool:
        """A job our driver enqueued: our entry point, no result kept, no rq-only features."""
        try:
            entry = job.func_name
        except Exception:  # undecodable job data: rq's own path fails the job properly
            return False
        return (
            entry == ENTRY_POINT
            and job.result_ttl == 0
            and not job.repeats_left
            and not job.group_id
            and not job.has_rate_limit
        )

    def _queue_of(self, job: RqJob) -> RqQueue:
        for queue in self.queues:
            if queue.name == job.origin:
                return queue
        return self.queue_class(job.origin, connection=self.connection, serializer=self.serializer)

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
            try:
                runtime.loop.run_until_complete(runtime.counter.flush())
                restart_at = self._restart_time()
            except Exception as exc:  # the cache is away: no restart signal can be read now
                if not is_outage(exc):
                    raise
                return False
            if self.restart_at is _UNREAD:
                self.restart_at = restart_at
            elif restart_at != self.restart_at:
                return True
        return False

    def _restart_time(self) -> object:
        manager = self.runtime.runner.manager
        return self.runtime.loop.run_until_complete(manager.cache().store().get(RESTART_KEY))

    def _first_restart_time(self) -> object:
        try:
            return self._restart_time()
        except Exception as exc:  # started during an outage: read once the cache answers
            if not is_outage(exc):
                raise
            return _UNREAD


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
    client = driver.worker_connection()
    worker = FoundryRqWorker(
        rq_names,
        name=f"{options.name}-{uuid.uuid4().hex[:8]}",
        connection=client,
        serializer=JSONSerializer,
        runtime=runtime,
        options=options,
    )
    worker.presence.start_thread()
    try:
        worker.work(
            burst=options.stop_when_empty or options.once,
            max_jobs=1 if options.once else (options.max_jobs or None),
            with_scheduler=True,
            logging_level="WARNING",
        )
        try:
            loop.run_until_complete(runtime.counter.flush())
        except Exception as exc:  # the counts are a statistic: never fail a stop over them
            if not is_outage(exc):
                raise
            logger.warning("processed counts not saved: %s", exc)
        loop.run_until_complete(manager.drain_lifecycle_hooks())  # never raises
        loop.run_until_complete(worker.presence.stop())
        loop.run_until_complete(application.shutdown())
    finally:
        install_runtime(None)
        loop.close()
        client.close()
    return 1 if runner.tainted else 0
