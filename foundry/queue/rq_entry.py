"""The one rq function behind every Foundry job on Redis: :func:`perform`.

rq calls ``perform(payload)`` with the payload text. It runs the job through the same
:class:`~foundry.queue.runner.JobRunner` as the database worker, on the worker's event loop, so a
job's exceptions become our retries and ``failed_jobs`` rows, never rq failures. Under our
``queue:work redis`` the runtime is installed by the worker; under a plain ``rq worker`` it is
bootstrapped on first use.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from foundry.queue.drivers.base import ReservedJob
from foundry.queue.drivers.redis import ABANDON_RETRIES, RedisDriver, band_suffixes

if TYPE_CHECKING:
    from rq.job import Job as RqJob

    from foundry.kernel.application import Application
    from foundry.queue.runner import JobRunner
    from foundry.queue.stats import ProcessedCounter

__all__ = ["RqRuntime", "current_runtime", "install_runtime", "perform", "reserved_from"]


@dataclass(slots=True)
class RqRuntime:
    """What :func:`perform` needs: the app, its loop, the driver and the runner."""

    application: Application
    loop: asyncio.AbstractEventLoop
    driver: RedisDriver
    runner: JobRunner
    counter: ProcessedCounter


class _Holder:
    def __init__(self) -> None:
        self.runtime: RqRuntime | None = None


_holder = _Holder()


def install_runtime(runtime: RqRuntime | None) -> None:
    """Make ``runtime`` the one :func:`perform` uses (the worker does this)."""
    _holder.runtime = runtime


def current_runtime(connection: str = "redis") -> RqRuntime:
    """The installed runtime, or a new one for a plain ``rq worker`` process."""
    if _holder.runtime is None:
        from foundry.kernel.application import Application
        from foundry.queue.manager import QueueManager
        from foundry.queue.runner import JobRunner
        from foundry.queue.stats import ProcessedCounter

        application = Application().bootstrap()
        manager = application.container.make(QueueManager)
        driver = manager.connection(connection)
        if not isinstance(driver, RedisDriver):
            raise TypeError(f"connection {connection!r} is not a redis connection")
        _holder.runtime = RqRuntime(
            application,
            asyncio.new_event_loop(),
            driver,
            JobRunner(manager),
            ProcessedCounter(manager, driver.name),
        )
    return _holder.runtime


def reserved_from(rq_job: RqJob, payload: str, connection: str) -> ReservedJob:
    """Our view of an rq job: the attempt count includes runs whose worker died."""
    meta = rq_job.meta or {}
    abandoned = ABANDON_RETRIES - (rq_job.retries_left if rq_job.retries_left is not None else 0)
    if rq_job.retries_left is None:
        abandoned = 0
    high, _, low = band_suffixes()
    origin = rq_job.origin or ""
    priority = 1 if origin.endswith(high) else -1 if origin.endswith(low) else 0
    return ReservedJob(
        id=rq_job.id,
        queue=str(meta.get("queue") or origin),
        payload=payload,
        attempts=int(meta.get("attempts", 0)) + abandoned + 1,
        connection=connection,
        priority=priority,
    )


def perform(payload: str) -> None:
    """Run one Foundry job (rq's entry point)."""
    from rq import get_current_job

    rq_job = get_current_job()
    if rq_job is None:
        raise RuntimeError("perform() runs inside an rq worker")
    runtime = current_runtime(str((rq_job.meta or {}).get("connection") or "redis"))
    reserved = reserved_from(rq_job, payload, runtime.driver.name)
    outcome = runtime.loop.run_until_complete(runtime.runner.process(runtime.driver, reserved))
    if outcome == "processed":
        runtime.counter.add_now(reserved.queue)
