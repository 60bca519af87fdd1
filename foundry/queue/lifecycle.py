"""``JobLifecycleHook``: what batteries built on the queue (batches, chains, metrics) hook into.

The runner calls every hook the manager holds (:meth:`QueueManager.add_lifecycle_hook`) at three
points of a delivery, for every driver:

- ``succeeded``: ``handle`` returned and the job was neither released nor failed; called
  *before* the job is deleted from its queue, so a hook that raises leaves the job to be
  delivered again (at least once: a chain's next link is never lost).
- ``released``: the attempt raised (or released itself) and the job goes back on its queue.
- ``failed``: the job failed for good; called after its ``failed()`` method and after it was
  recorded in ``failed_jobs``.

A hook that holds what it records in memory (completed jobs) also has ``drain()``
(:class:`BufferingHook`): workers call it when they go idle and when they stop.

Hooks are not events: ``Event.fake()`` in a test does not switch them off, and they run at once,
never after a commit. A hook that must never disturb the job (metrics) catches its own errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from foundry.jobs.job import Job
    from foundry.queue.drivers.base import QueueDriver, ReservedJob

__all__ = ["BufferingHook", "JobLifecycleHook", "JobRun"]


@dataclass(frozen=True, slots=True)
class JobRun:
    """One delivery of one job, as the hooks see it.

    ``payload`` and ``job`` are ``None`` when the payload could not be read or restored;
    ``runtime`` (seconds of ``handle``) is ``None`` when ``handle`` never ran.
    """

    driver: QueueDriver
    reserved: ReservedJob
    payload: dict[str, Any] | None
    job: Job | None
    #: Wall-clock time (``time.time()``) the worker picked the job up.
    started_at: float
    runtime: float | None = None
    exception: BaseException | None = None

    @property
    def pushed_at(self) -> float | None:
        """When the job was first queued (``time.time()``), if the payload says."""
        value = self.payload.get("pushed_at") if self.payload else None
        return float(value) if isinstance(value, (int, float)) else None

    @property
    def job_name(self) -> str:
        """The job's display name (its class, unless it names itself)."""
        if not self.payload:
            return "unreadable job"
        return str(self.payload.get("display_name") or self.payload.get("job") or "job")


class JobLifecycleHook(Protocol):
    """Told of each delivery's outcome; see the module docstring for when each runs."""

    async def succeeded(self, run: JobRun) -> None:
        """``handle`` finished; the job is about to be deleted from its queue."""
        ...

    async def released(self, run: JobRun, delay: float) -> None:
        """The job goes back on its queue, to run again after ``delay`` seconds."""
        ...

    async def failed(self, run: JobRun) -> None:
        """The job failed for good (``run.exception`` says why) and is in ``failed_jobs``."""
        ...


@runtime_checkable
class BufferingHook(Protocol):
    """A hook that writes what it holds when told to (see the module docstring)."""

    async def drain(self) -> None:
        """Write everything held; never raises."""
        ...
