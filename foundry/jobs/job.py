"""``Job``: subclass it, give it typed fields and a ``handle`` method, and dispatch it.

```python
class SendEmailJob(Job):
    tries = 3
    backoff = [10, 60]

    def __init__(self, to_email: str, subject: str) -> None:
        self.to_email = to_email
        self.subject = subject

    async def handle(self, mail: MailManager) -> None:   # parameters come from the container
        ...

job_id = await SendEmailJob.dispatch("ada@example.com", "Hi")
job_id = await SendEmailJob("ada@example.com", "Hi").on_queue("high").with_priority(10).dispatch()
```

``SendEmailJob.dispatch``, ``dispatch_if``, ``dispatch_unless`` and ``dispatch_now`` take the
arguments of ``SendEmailJob.__init__`` (a ``ParamSpec``), so ``mypy --strict`` rejects a wrong
type, a missing argument or an unknown keyword.

Fields are the instance's public attributes; they are stored as JSON with the class path and
restored without calling ``__init__`` (as Laravel unserializes). Options are class attributes
a field of the same name overrides; the fluent methods override both for one dispatch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ParamSpec, Self, TypeVar

from foundry.jobs.bus import Bus
from foundry.jobs.context import JobContext
from foundry.jobs.errors import JobConfigurationError
from foundry.jobs.pending import PendingDispatch

if TYPE_CHECKING:
    from foundry.jobs.middleware import JobMiddleware

__all__ = ["Job", "ensure_handle"]

_CONTEXT = "_foundry_job_context"
P = ParamSpec("P")
J = TypeVar("J", bound="Job")


class _Dispatch:
    """``dispatch`` on the class builds the job from arguments; on an instance, queues it.

    Type checkers see the ``classmethod`` declared in ``Job`` instead (see there why).
    """

    def __get__(self, obj: Job | None, owner: type[Job]) -> Callable[..., Awaitable[str | None]]:
        if obj is not None:
            return obj.pending().dispatch

        async def build_and_dispatch(*args: Any, **kwargs: Any) -> str | None:
            return await owner(*args, **kwargs).pending().dispatch()

        return build_and_dispatch


def ensure_handle(job: Job) -> None:
    """Refuse, at dispatch, a job that has nothing to run.

    Raises:
        JobConfigurationError: the job's class defines no callable ``handle``.
    """
    if not callable(getattr(job, "handle", None)):
        raise JobConfigurationError(
            f"{type(job).__qualname__} has no handle() method: define `def handle(self, ...)` "
            "or `async def handle(self, ...)` (its parameters come from the container)"
        )


class Job:
    """Base class of every queued job. ``handle`` may be ``def`` or ``async def``."""

    #: The connection (``database``, ``redis``, ``sync``...); ``None``: ``QUEUE_CONNECTION``.
    connection: str | None = None
    #: The queue; ``None``: the connection's default queue.
    queue: str | None = None
    #: How many times the job may be attempted; ``None``: the worker's ``--tries``.
    tries: int | None = None
    #: Seconds to wait before a retry: one number, or one per retry (the last one repeats).
    backoff: int | float | Sequence[int | float] | None = None
    #: Seconds the job may run; ``None``: the worker's ``--timeout``. Must be < retry_after.
    timeout: float | None = None
    #: Fail after this many unhandled exceptions even if tries are left (with releases).
    max_exceptions: int | None = None
    #: Drop the job quietly when a model it holds was deleted before it ran.
    delete_when_missing_models: bool = False
    #: Hold every dispatch of this job until the surrounding transaction commits.
    dispatch_after_commit: bool = False

    #: The work itself, which every concrete job defines: ``def`` or ``async def``, any
    #: parameters (the container resolves them), any return value (``dispatch_now`` returns it).
    #: Declared, not defined: a method here would force one signature on every subclass, and a
    #: job without ``handle`` is refused when dispatched (:func:`ensure_handle`).
    handle: Callable[..., object]

    # -- what subclasses override -------------------------------------------------------------

    def retry_until(self) -> datetime | None:
        """A deadline after which the job is failed instead of retried; ``None``: no deadline."""
        return None

    def middleware(self) -> Sequence[JobMiddleware]:
        """Job middleware wrapped around ``handle``, outermost first."""
        return ()

    def failed(self, exception: BaseException) -> object:
        """Called (sync or async) once the job has failed for good."""
        return None

    def display_name(self) -> str:
        """The name shown in logs and ``queue:failed``."""
        return type(self).__qualname__

    def fields(self) -> dict[str, Any]:
        """The values stored in the payload: every public instance attribute."""
        return {key: value for key, value in vars(self).items() if not key.startswith("_")}

    # -- inside handle ------------------------------------------------------------------------

    @property
    def context(self) -> JobContext | None:
        """The delivery being run, or ``None`` outside a worker (``dispatch_now``)."""
        found = self.__dict__.get(_CONTEXT)
        return found if isinstance(found, JobContext) else None

    def attach_context(self, context: JobContext | None) -> None:
        """Used by the worker: bind this instance to a delivery."""
        self.__dict__[_CONTEXT] = context

    @property
    def job_id(self) -> str | None:
        """The job's uuid once dispatched and running."""
        context = self.context
        return context.job_id if context else None

    def attempts(self) -> int:
        """How many times the job has been attempted, this run included (1 outside a worker)."""
        context = self.context
        return context.attempts if context else 1

    def release(self, delay: float = 0) -> None:
        """Put the job back on its queue, available again after ``delay`` seconds."""
        context = self.context
        if context is not None:
            context.released_with_delay = max(0.0, float(delay))

    def fail(self, exception: BaseException | str | None = None) -> None:
        """Mark the job failed: no retry, ``failed()`` runs, a ``failed_jobs`` row is written."""
        context = self.context
        if context is None:
            return
        if exception is None:
            exception = RuntimeError(f"{self.display_name()} marked itself failed")
        elif isinstance(exception, str):
            exception = RuntimeError(exception)
        context.failed_with = exception

    def delete(self) -> None:
        """Finish the job now without running the rest of it again."""
        context = self.context
        if context is not None:
            context.deleted = True

    # -- dispatching --------------------------------------------------------------------------

    def pending(self) -> PendingDispatch:
        """A :class:`PendingDispatch` for this job, to set options and then ``dispatch()``."""
        return PendingDispatch(self)

    def on_queue(self, queue: str) -> PendingDispatch:
        """Dispatch to ``queue``."""
        return self.pending().on_queue(queue)

    def on_connection(self, connection: str) -> PendingDispatch:
        """Dispatch on ``connection``."""
        return self.pending().on_connection(connection)

    def delay_until(self, when: float | datetime) -> PendingDispatch:
        """Make the job available after ``when`` (seconds from now, or a datetime)."""
        return self.pending().delay_until(when)

    def with_priority(self, priority: int) -> PendingDispatch:
        """Higher runs first within the queue."""
        return self.pending().with_priority(priority)

    def by_user(self, user_id: str | int | None) -> PendingDispatch:
        """Dispatch on behalf of ``user_id`` (secure jobs check its permissions)."""
        return self.pending().by_user(user_id)

    def after_commit(self) -> PendingDispatch:
        """Hold the dispatch until the surrounding transaction commits (dropped on rollback)."""
        return self.pending().after_commit()

    if TYPE_CHECKING:
        # mypy cannot take a ParamSpec from the ``type[...]`` a descriptor's ``__get__`` is
        # given, but binds a classmethod's ``cls: Callable[P, J]`` to the class's constructor:
        # ``SendEmailJob.dispatch`` then takes ``__init__``'s parameters. On an instance P is
        # left empty, so ``job.dispatch()`` takes no arguments (tests/typing/jobs.py proves
        # both). At run time ``_Dispatch`` does the work.
        @classmethod
        def dispatch(
            cls: Callable[P, J], *args: P.args, **kwargs: P.kwargs
        ) -> Coroutine[Any, Any, str | None]:
            """``await SendEmailJob.dispatch(...)`` builds and queues; ``await job.dispatch()``
            queues an instance. Returns the job id (``None``: a unique job already queued)."""
            ...

    else:
        dispatch = _Dispatch()

    @classmethod
    async def dispatch_if(
        cls: Callable[P, J], condition: bool, *args: P.args, **kwargs: P.kwargs
    ) -> str | None:
        """Dispatch when ``condition`` holds; returns the job id or ``None``."""
        return await cls(*args, **kwargs).pending().dispatch() if condition else None

    @classmethod
    async def dispatch_unless(
        cls: Callable[P, J], condition: bool, *args: P.args, **kwargs: P.kwargs
    ) -> str | None:
        """Dispatch unless ``condition`` holds; returns the job id or ``None``."""
        return None if condition else await cls(*args, **kwargs).pending().dispatch()

    @classmethod
    async def dispatch_now(cls: Callable[P, J], *args: P.args, **kwargs: P.kwargs) -> object:
        """Run the job now, in this process, with its middleware; returns what handle returns.

        Raises:
            JobConfigurationError: the job has no ``handle``.
        """
        job = cls(*args, **kwargs)
        ensure_handle(job)
        return await Bus.dispatch_now(job)

    def copy(self) -> Self:
        """A shallow copy without the delivery context (used by the fake and retries)."""
        clone = type(self).__new__(type(self))
        clone.__dict__.update({k: v for k, v in vars(self).items() if k != _CONTEXT})
        return clone
