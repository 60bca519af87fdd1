"""The queue worker for polling drivers (database, memory): ``artisan queue:work``.

It runs one job at a time from the listed queues (in order: the first queue with a job wins),
through :class:`~foundry.queue.runner.JobRunner`. Quick jobs are reserved several per round trip
and finished ones deleted together (:mod:`foundry.queue.prefetch`); an idle worker waits for a
push (``LISTEN``/``NOTIFY`` on PostgreSQL) or ``--sleep``, whichever comes first. It stops when
told: SIGTERM or SIGINT (after the current job), ``--once``, ``--max-jobs``, ``--max-time``,
``--memory``, ``--stop-when-empty``, or ``queue:restart``. The Redis connection is worked by rq's
worker instead (:mod:`foundry.queue.rq_worker`), with the same options.

When the database (or the cache) stops answering, the worker does not exit: it waits with
exponential back-off and jitter (:class:`~foundry.queue.outage.Outage`), logs the outage once
and its end once, and goes on where it was. A job it held when the outage began is handed out
again after ``retry_after``, as if its worker had died. A worker that stops gives its prefetched,
unstarted jobs back and deletes its finished ones first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import resource
import signal
import sys
import time
from dataclasses import dataclass, field

from foundry.jobs.errors import JobConfigurationError
from foundry.queue.drivers.base import PollingDriver, QueueDriver
from foundry.queue.manager import QueueManager, check_queue_name
from foundry.queue.metrics.heartbeat import WorkerHeartbeat
from foundry.queue.outage import Outage, is_outage
from foundry.queue.pausing import paused_queues
from foundry.queue.prefetch import Prefetcher
from foundry.queue.runner import JobRunner, RunnerDefaults
from foundry.queue.stats import ProcessedCounter

__all__ = ["RESTART_KEY", "Worker", "WorkerOptions", "check_timeout", "memory_mb"]

logger = logging.getLogger("foundry.queue")

#: Cache key holding the time of the last ``queue:restart``.
RESTART_KEY = "queue:restart"
#: ``restart_at`` before the cache could be read (the worker may start during an outage).
_UNREAD = object()


@dataclass(slots=True)
class WorkerOptions:
    """The flags of ``queue:work``."""

    queues: list[str] = field(default_factory=list)
    name: str = "default"
    tries: int = 1
    timeout: float = 60.0
    sleep: float = 3.0
    backoff: list[float] = field(default_factory=lambda: [0.0])
    #: The framework with its batteries loaded is ~130 MB RSS: 128 (Laravel's default, for PHP)
    #: would stop a worker after its first job.
    memory: int = 256
    max_jobs: int = 0
    max_time: float = 0.0
    stop_when_empty: bool = False
    once: bool = False
    #: Join the worker registry and write metrics from a background task (a heartbeat). Off for
    #: a worker run inside a test's transaction, whose one connection must not be shared with a
    #: concurrent task: its metrics are then written in line, between jobs.
    heartbeat: bool = True

    def defaults(self) -> RunnerDefaults:
        """What the runner uses for jobs that set no tries, timeout or backoff."""
        return RunnerDefaults(tries=self.tries, timeout=self.timeout, backoff=list(self.backoff))


def check_queue_limiter(manager: QueueManager, queue: str) -> None:
    """Refuse to work a ``rate_limit_enabled`` queue whose ``queue:<name>`` limiter is missing."""
    definition = manager.queue_definition(queue)
    if definition is None or not definition.rate_limit_enabled:
        return
    from foundry.rate_limiting.manager import RateLimiterManager

    if not manager.container.make(RateLimiterManager).has_limiter(f"queue:{queue}"):
        raise JobConfigurationError(
            f"queue {queue!r} is defined with rate_limit_enabled but no limiter "
            f"'queue:{queue}' exists: RateLimiter.for_('queue:{queue}', lambda job: Limit...)"
        )


def check_timeout(driver: QueueDriver, timeout: float) -> None:
    """Refuse a worker ``--timeout`` that is not shorter than the connection's retry_after."""
    if driver.retry_after is not None and timeout >= driver.retry_after:
        raise JobConfigurationError(
            f"--timeout={timeout:g} must be shorter than retry_after={driver.retry_after:g} of "
            f"connection {driver.name!r}; otherwise another worker would take a job that is "
            "still running (raise QUEUE_RETRY_AFTER or lower --timeout)"
        )


def memory_mb() -> float:
    """This process's resident memory now, in megabytes.

    The current size, not the peak: ``ru_maxrss`` survives ``exec``, so a worker started by
    a big parent would look full from its first job.
    """
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class Worker:
    """Works the queues of one polling connection until a stop condition."""

    def __init__(
        self, manager: QueueManager, connection: str | None, options: WorkerOptions
    ) -> None:
        driver = manager.connection(connection)
        if not isinstance(driver, PollingDriver):
            raise JobConfigurationError(
                f"connection {driver.name!r} ({type(driver).__name__}) is not worked by this worker"
            )
        check_timeout(driver, options.timeout)
        self.queues = options.queues or [driver.default_queue]
        for queue in self.queues:
            check_queue_name(queue)
            check_queue_limiter(manager, queue)
        self.manager = manager
        self.driver: PollingDriver = driver
        self.options = options
        self.runner = JobRunner(manager, options.defaults())
        self.counter = ProcessedCounter(manager, driver.name)
        self.prefetch = Prefetcher(
            driver,
            self.queues,
            limit=1 if options.once else manager.settings.prefetch,
            timeout=options.timeout,
        )
        self.presence = (
            WorkerHeartbeat.of(manager, driver.name, self.queues, options.name, memory_mb)
            if options.heartbeat
            else WorkerHeartbeat.inert(driver.name, self.queues, options.name)
        )
        self._stop = asyncio.Event()
        self.processed = 0
        self.exit_code = 0
        self.outage = Outage(
            f"queue connection {driver.name!r}",
            logger,
            max_wait=manager.settings.reconnect_max_wait,
        )

    def stop(self) -> None:
        """Finish the current job, then exit (what SIGTERM does)."""
        self._stop.set()

    async def run(self) -> int:
        """Work until a stop condition; returns the process exit code."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, self.stop)
        started = time.monotonic()
        restart_at: object = _UNREAD
        checked_at = float("-inf")
        pauses_read_at = float("-inf")
        logger.info("worker %s on %s: %s", self.options.name, self.driver.name, self.queues)
        self.driver.defer_deletes()
        await self.presence.start()
        try:
            while not self._stop.is_set():
                try:
                    if restart_at is _UNREAD:  # read once the back end answers
                        restart_at = await self._restart_time()
                    if time.monotonic() - pauses_read_at >= 1.0:  # one cache read a second
                        pauses_read_at = time.monotonic()
                        await self._read_pauses()
                    worked = await self._work_once()
                    restarted = False
                    if time.monotonic() - checked_at >= 1.0:  # a cache read, once a second
                        checked_at = time.monotonic()
                        restarted = await self._restart_time() != restart_at
                except Exception as exc:
                    if not is_outage(exc):
                        raise
                    await self._pause(self.outage.failed(exc))
                    continue
                self.outage.recovered()
                if self.runner.tainted:
                    logger.error("a job overran its timeout on a thread; the worker exits")
                    self.exit_code = 1
                    break
                if restarted or self._should_stop(worked, started):
                    break
                if not worked:
                    try:
                        await self.manager.drain_lifecycle_hooks()  # nothing to do: write now
                        await self._idle()
                    except Exception as exc:
                        if not is_outage(exc):
                            raise
                        await self._pause(self.outage.failed(exc))
        finally:
            try:
                # Finished jobs leave the table, unstarted ones go back: none waits out retry_after.
                await self.prefetch.give_back()
                await self.driver.flush()
            except Exception as exc:
                if not is_outage(exc):
                    raise
                logger.warning("jobs held by the worker return after retry_after: %s", exc)
            try:
                await self.counter.flush()
            except Exception as exc:  # the counts are a statistic: never fail a stop over them
                if not is_outage(exc):
                    raise
                logger.warning("processed counts not saved: %s", exc)
            await self.manager.drain_lifecycle_hooks()  # never raises
            await self.presence.stop()  # leaves the registry, writes the metrics it holds
            for signum in (signal.SIGTERM, signal.SIGINT):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(signum)
        return self.exit_code

    async def _pause(self, seconds: float) -> None:
        """Sleep ``seconds``, or less if the worker is told to stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)

    async def _read_pauses(self) -> None:
        """Take note of ``queue:pause`` / ``queue:continue``; hand back held jobs of paused queues."""
        paused = frozenset(await paused_queues(self.manager, self.driver.name, self.queues))
        if paused == self.prefetch.paused:
            return
        if paused - self.prefetch.paused:
            logger.info("worker %s: paused queues %s", self.options.name, sorted(paused))
            await self.prefetch.give_back()  # held jobs of a now paused queue must wait too
        self.prefetch.paused = paused

    async def _idle(self) -> None:
        """Wait for a job to arrive (at most ``--sleep``), or less if the worker is told to stop."""
        open_queues = [q for q in self.queues if q not in self.prefetch.paused]
        if not open_queues:  # all paused: look again at the next pause check, not before
            await self._pause(max(self.options.sleep, 1.0))
            return
        if self.options.sleep <= 0:
            return
        waiting = asyncio.ensure_future(self.driver.wait_for_jobs(open_queues, self.options.sleep))
        stopping = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (waiting, stopping):
                task.cancel()
            await asyncio.gather(waiting, stopping, return_exceptions=True)
        error = None if waiting.cancelled() else waiting.exception()
        if error is not None:
            raise error  # the back end's outage: the loop rides it out

    async def _work_once(self) -> bool:
        room = self.options.max_jobs - self.processed if self.options.max_jobs else 1 << 30
        reserved = await self.prefetch.next(room)
        if reserved is None:
            return False
        began = time.perf_counter()
        with self.presence.running(reserved.queue, reserved.id, reserved.payload):
            outcome = await self.runner.process(self.driver, reserved)
        self.prefetch.ran(time.perf_counter() - began)
        self.processed += 1
        if outcome == "processed":
            await self.counter.add(reserved.queue)
        return True

    def _should_stop(self, worked: bool, started: float) -> bool:
        options = self.options
        if options.once and worked:
            return True
        if not worked and (options.stop_when_empty or options.once):
            return True
        if options.max_jobs and self.processed >= options.max_jobs:
            return True
        if options.max_time and time.monotonic() - started >= options.max_time:
            return True
        if options.memory and memory_mb() >= options.memory:
            logger.warning("worker memory %.0f MB reached --memory=%d", memory_mb(), options.memory)
            return True
        return False

    async def _restart_time(self) -> object:
        return await self.manager.cache().store().get(RESTART_KEY)
