"""``JobRunner``: one delivery of one job, from payload text to deleted, released or failed.

It is the same for every driver. Whatever goes wrong with the payload (corrupt JSON, an
unknown or non-Job class, a value that does not decode, a tampered secure payload) is recorded
in ``failed_jobs`` with the reason, and the worker goes on with the next job.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from foundry.database.lazy_session import LazySession
from foundry.jobs.context import JobContext
from foundry.jobs.errors import (
    JobAuthorizationError,
    JobTimeoutError,
    MaxAttemptsExceededError,
    ModelNotFoundError,
    PayloadError,
)
from foundry.jobs.invoke import run_job
from foundry.jobs.job import Job
from foundry.jobs.payload import dumps, loads, restore_job
from foundry.jobs.rate_limited import RateLimitedMiddleware
from foundry.jobs.secure import SecureJob
from foundry.jobs.unique import ShouldBeUnique, release_unique_lock
from foundry.kernel.container import Container
from foundry.queue.drivers.base import QueueDriver, ReservedJob
from foundry.queue.events import JobFailed, JobProcessed, JobProcessing, JobReleased
from foundry.queue.failed import describe_exception
from foundry.queue.lifecycle import JobRun

if TYPE_CHECKING:
    from foundry.queue.manager import QueueManager

__all__ = ["JobRunner", "Outcome", "RunnerDefaults"]

logger = logging.getLogger("foundry.queue")
Outcome = Literal["processed", "released", "failed", "deleted"]


@dataclass(slots=True)
class RunnerDefaults:
    """The worker's ``--tries``, ``--timeout`` and ``--backoff`` for jobs that set none."""

    tries: int = 1
    timeout: float = 60.0
    backoff: list[float] = field(default_factory=lambda: [0.0])


class JobRunner:
    """Runs reserved jobs for a worker (or for the sync driver)."""

    def __init__(self, manager: QueueManager, defaults: RunnerDefaults | None = None) -> None:
        self.manager = manager
        self.defaults = defaults or RunnerDefaults()
        #: Set when a synchronous handle overran its timeout and still runs on its thread:
        #: the worker must exit (its supervisor restarts it), as Laravel's does.
        self.tainted = False

    async def process(
        self, driver: QueueDriver, reserved: ReservedJob, *, reraise: bool = False
    ) -> Outcome:
        """Run one delivery to its end; ``reraise`` raises a failure (the sync driver)."""
        picked_up = time.time()
        try:
            payload = loads(reserved.payload)
        except PayloadError as exc:
            await self._record(driver, reserved, None, None, exc)
            await self._tell_failed(JobRun(driver, reserved, None, None, picked_up, exception=exc))
            if reraise:
                raise
            return "failed"
        async with self.manager.container.scope() as scope:
            return await self._process(scope, driver, reserved, payload, reraise, picked_up)

    async def _process(
        self,
        scope: Container,
        driver: QueueDriver,
        reserved: ReservedJob,
        payload: dict[str, Any],
        reraise: bool,
        picked_up: float,
    ) -> Outcome:
        # The job's session is opened only if a stored model needs it (a no-model job would
        # pay for opening and closing one for nothing); the scope keeps it for the handle.
        session = scope.make(LazySession) if scope.bound(LazySession) else None
        try:
            job = await restore_job(payload, session, self.manager.signer())
        except ModelNotFoundError as exc:
            if payload.get("delete_when_missing_models"):
                await driver.delete(reserved)
                return "deleted"
            return await self._fail(driver, reserved, payload, None, exc, reraise, picked_up)
        except Exception as exc:  # anything a payload can make deserialization raise
            reason = (
                exc if isinstance(exc, PayloadError) else PayloadError(f"cannot restore: {exc}")
            )
            return await self._fail(driver, reserved, payload, None, reason, reraise, picked_up)
        context = JobContext(str(payload["uuid"]), reserved.connection, reserved.queue)
        context.attempts = _attempts(reserved, payload)
        job.attach_context(context)
        refusal = await self._refusal(job, payload, reserved)
        if refusal is not None:
            return await self._fail(driver, reserved, payload, job, refusal, reraise, picked_up)
        await self.manager.fire(
            JobProcessing(
                reserved.connection,
                reserved.queue,
                context.job_id,
                _name(payload),
                context.attempts,
            )
        )
        started = time.perf_counter()
        try:
            await self._run(job, payload, scope)
        except Exception as exc:
            run = JobRun(
                driver, reserved, payload, job, picked_up, time.perf_counter() - started, exc
            )
            return await self._after_exception(run, exc, reraise)
        run = JobRun(driver, reserved, payload, job, picked_up, time.perf_counter() - started)
        if context.failed_with is not None:
            return await self._fail(
                driver, reserved, payload, job, context.failed_with, reraise, picked_up, run.runtime
            )
        if context.released_with_delay is not None and not context.deleted:
            if context.released_by_limiter:
                payload["limited"] = int(payload.get("limited") or 0) + 1
            return await self._release(run, context.released_with_delay)
        for hook in self.manager.lifecycle_hooks():
            await hook.succeeded(run)
        await driver.delete(reserved)
        await self._forget_unique(job)
        await self.manager.fire(
            JobProcessed(
                reserved.connection,
                reserved.queue,
                context.job_id,
                _name(payload),
                context.attempts,
            )
        )
        # Laravel's worker prints a line per job; the duration is the handle's own.
        logger.info(
            "job %s [%s] done in %.1f ms",
            _name(payload),
            context.job_id,
            (time.perf_counter() - started) * 1000,
        )
        return "processed"

    async def _refusal(
        self, job: Job, payload: dict[str, Any], reserved: ReservedJob
    ) -> BaseException | None:
        tries = payload.get("tries") or self.defaults.tries
        attempts = _attempts(reserved, payload)
        if attempts > tries:
            return MaxAttemptsExceededError(
                f"{_name(payload)} has been attempted too many times ({attempts - 1} of "
                f"{tries}); a worker may have died running it or it timed out"
            )
        deadline = payload.get("retry_until")
        if deadline is not None and time.time() > float(deadline):
            return MaxAttemptsExceededError(f"{_name(payload)} is past its retry_until deadline")
        if isinstance(job, SecureJob) and job.required_permissions:
            try:
                await self.manager.authorize(job, payload.get("user_id"))
            except JobAuthorizationError as exc:
                return exc
        return None

    async def _run(self, job: Job, payload: dict[str, Any], scope: Container) -> None:
        timeout = float(payload.get("timeout") or self.defaults.timeout)
        queue = str(payload.get("queue") or "")
        definition = self.manager.queue_definition(queue)
        outer = (
            [RateLimitedMiddleware(f"queue:{queue}")]
            if definition is not None and definition.rate_limit_enabled
            else []
        )
        try:
            with ExitStack() as carried:
                # The dispatching scope's context (the activity log's causer), from the signed
                # payload: it holds for this job only, never for the next one on this worker.
                for context in self.manager.carried():
                    carried.enter_context(context.activate(payload.get(context.name)))
                async with asyncio.timeout(timeout):
                    await run_job(job, scope, outer)
        except TimeoutError as exc:
            if not inspect.iscoroutinefunction(getattr(job, "handle", None)):
                self.tainted = True
            raise JobTimeoutError(
                f"{_name(payload)} ran longer than its timeout of {timeout:g}s"
            ) from exc

    async def _after_exception(self, run: JobRun, exc: Exception, reraise: bool) -> Outcome:
        reserved, payload, job = run.reserved, run.payload or {}, run.job
        logger.warning("job %s [%s] raised %r", _name(payload), payload["uuid"], exc)
        payload["exceptions"] = int(payload.get("exceptions") or 0) + 1
        tries = payload.get("tries") or self.defaults.tries
        max_exceptions = payload.get("max_exceptions")
        deadline = payload.get("retry_until")
        out_of_time = deadline is not None and time.time() > float(deadline)
        if (
            _attempts(reserved, payload) >= tries
            or (max_exceptions is not None and payload["exceptions"] >= max_exceptions)
            or out_of_time
            or run.driver.retry_after is None
        ):
            return await self._fail(
                run.driver, reserved, payload, job, exc, reraise, run.started_at, run.runtime
            )
        return await self._release(run, self._backoff(payload, reserved))

    def _backoff(self, payload: dict[str, Any], reserved: ReservedJob) -> float:
        steps = payload.get("backoff") or self.defaults.backoff
        return float(steps[min(_attempts(reserved, payload) - 1, len(steps) - 1)])

    async def _release(self, run: JobRun, delay: float) -> Outcome:
        reserved, payload = run.reserved, run.payload or {}
        await run.driver.release(reserved, delay, dumps(payload))
        for hook in self.manager.lifecycle_hooks():
            await hook.released(run, delay)
        await self.manager.fire(
            JobReleased(
                reserved.connection,
                reserved.queue,
                str(payload["uuid"]),
                _name(payload),
                reserved.attempts,
                delay,
            )
        )
        return "released"

    async def _fail(
        self,
        driver: QueueDriver,
        reserved: ReservedJob,
        payload: dict[str, Any],
        job: Job | None,
        exc: BaseException,
        reraise: bool,
        picked_up: float,
        runtime: float | None = None,
    ) -> Outcome:
        if job is not None:
            try:
                result = job.failed(exc)
                if inspect.isawaitable(result):
                    await result
            except Exception:  # the failure must be recorded even if the hook breaks
                logger.exception("failed() hook of job %s raised", _name(payload))
            await self._forget_unique(job)
        await self._record(driver, reserved, payload, job, exc)
        await self._tell_failed(JobRun(driver, reserved, payload, job, picked_up, runtime, exc))
        if reraise:
            raise exc
        return "failed"

    async def _tell_failed(self, run: JobRun) -> None:
        for hook in self.manager.lifecycle_hooks():
            await hook.failed(run)

    async def _record(
        self,
        driver: QueueDriver,
        reserved: ReservedJob,
        payload: dict[str, Any] | None,
        job: Job | None,
        exc: BaseException,
    ) -> None:
        uuid = str(payload["uuid"]) if payload else reserved.id
        name = _name(payload) if payload else "unreadable job"
        logger.error("job %s [%s] failed: %s", name, uuid, exc)
        await self.manager.failed_store().log(
            uuid=uuid,
            connection=reserved.connection,
            queue=reserved.queue,
            payload=dumps(payload) if payload else reserved.payload,
            exception=describe_exception(exc),
        )
        await driver.delete(reserved)
        await self.manager.fire(
            JobFailed(reserved.connection, reserved.queue, uuid, name, str(exc))
        )

    async def _forget_unique(self, job: Job) -> None:
        if isinstance(job, ShouldBeUnique):
            await release_unique_lock(job, self.manager.cache())


def _attempts(reserved: ReservedJob, payload: dict[str, Any]) -> int:
    """Deliveries that count against ``tries``: a rate limiter's releases do not (they are not
    the job's failures, and a limited job must wait its turn, not fail)."""
    return reserved.attempts - int(payload.get("limited") or 0)


def _name(payload: dict[str, Any]) -> str:
    return str(payload.get("display_name") or payload.get("job") or "job")
