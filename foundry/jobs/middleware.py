"""Job middleware: code wrapped around ``handle``, like HTTP middleware around a route.

A middleware's ``handle(job, next)`` calls ``await next(job)`` to go on, or skips it (after,
say, ``job.release(30)``) to stop there. ``Job.middleware()`` lists them, outermost first;
:class:`MiddlewareStack` builds such a list fluently.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from foundry.jobs.job import Job

__all__ = ["JobMiddleware", "LoggingMiddleware", "MiddlewareStack", "Next", "Skip", "run_through"]

Next = Callable[["Job"], Awaitable[object]]
logger = logging.getLogger("foundry.queue")


@runtime_checkable
class JobMiddleware(Protocol):
    """Anything with ``async def handle(job, next)``."""

    async def handle(self, job: Job, next: Next) -> object:
        """Run ``next(job)`` or not; return what it returned."""
        ...


class MiddlewareStack(Sequence[JobMiddleware]):
    """An ordered list of job middleware: ``MiddlewareStack().add(LoggingMiddleware())``."""

    def __init__(self, items: Sequence[JobMiddleware] = ()) -> None:
        self._items = list(items)

    def add(self, middleware: JobMiddleware) -> MiddlewareStack:
        """Append ``middleware`` (it runs inside the ones added before it)."""
        self._items.append(middleware)
        return self

    def __getitem__(self, index: int) -> JobMiddleware:  # type: ignore[override]  # no slices
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[JobMiddleware]:
        return iter(self._items)


async def run_through(middleware: Sequence[JobMiddleware], job: Job, core: Next) -> object:
    """Run ``core(job)`` inside ``middleware``, outermost first."""
    call: Next = core
    for item in reversed(list(middleware)):
        call = _wrap(item, call)
    return await call(job)


def _wrap(item: JobMiddleware, inner: Next) -> Next:
    async def call(job: Job) -> object:
        return await item.handle(job, inner)

    return call


class LoggingMiddleware:
    """Logs the start, the end and the duration of each run (never the job's fields)."""

    def __init__(self, level: int = logging.INFO) -> None:
        self.level = level

    async def handle(self, job: Job, next: Next) -> object:
        """Log around ``next(job)``."""
        started = time.perf_counter()
        logger.log(self.level, "job %s [%s] started", job.display_name(), job.job_id)
        try:
            result = await next(job)
        except BaseException:
            logger.log(self.level, "job %s [%s] raised", job.display_name(), job.job_id)
            raise
        took = (time.perf_counter() - started) * 1000
        logger.log(self.level, "job %s [%s] done in %.1f ms", job.display_name(), job.job_id, took)
        return result


class Skip:
    """``Skip.when(condition)`` / ``Skip.unless(condition)``: finish the job without running it.

    The condition may be a bool or a callable taking the job (evaluated when the job runs).
    """

    def __init__(self, condition: bool | Callable[[Job], bool], *, negate: bool = False) -> None:
        self._condition = condition
        self._negate = negate

    @classmethod
    def when(cls, condition: bool | Callable[[Job], bool]) -> Skip:
        """Skip the job when ``condition`` is true."""
        return cls(condition)

    @classmethod
    def unless(cls, condition: bool | Callable[[Job], bool]) -> Skip:
        """Skip the job unless ``condition`` is true."""
        return cls(condition, negate=True)

    async def handle(self, job: Job, next: Next) -> object:
        """Delete the job instead of running it when the condition says so."""
        value = self._condition(job) if callable(self._condition) else self._condition
        if bool(value) != self._negate:
            job.delete()
            return None
        return await next(job)
