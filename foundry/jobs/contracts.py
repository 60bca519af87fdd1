"""``ShouldQueue`` (mark a listener class or a mailable to run through the queue) and
``JobDispatcher``, what jobs are handed to: the queue implements it, so nothing here imports the
queue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from foundry.jobs.job import Job
    from foundry.jobs.pending import DispatchOptions

__all__ = ["JobDispatcher", "ShouldQueue"]


class JobDispatcher(Protocol):
    """Sends jobs to a queue, or runs them now (Laravel's ``Bus`` dispatcher).

    ``foundry.queue.QueueManager`` implements it and its provider binds it; the ``Bus`` facade
    stands for it.
    """

    async def push(self, job: Job, options: DispatchOptions | None = None) -> str | None:
        """Queue ``job``; its id, or ``None`` when a unique job is already queued."""
        ...

    async def dispatch_now(self, job: Job) -> object:
        """Run ``job`` in this process, with its middleware; what ``handle`` returned."""
        ...


class ShouldQueue:
    """A marker: listeners and mailables inheriting it are queued instead of run inline.

    Class attributes pick where they go (``None``: the defaults).
    """

    #: The connection to queue on.
    connection: str | None = None
    #: The queue to queue on.
    queue: str | None = None
    #: Seconds to wait before the queued work becomes available.
    delay: float = 0
