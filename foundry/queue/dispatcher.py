"""``QueueDispatcher``: the queue's :class:`~foundry.jobs.contracts.JobDispatcher`.

The provider binds one per resolution, made with the container that asked (the request's or the
job's scope): ``Bus.dispatch_now(job)`` then runs the job in that scope, sharing its unit of
work, and ``Bus.push(job)`` goes to whatever ``QueueManager`` is bound (the fake too).
"""

from __future__ import annotations

from foundry.jobs.errors import JobAuthorizationError
from foundry.jobs.invoke import run_job
from foundry.jobs.job import Job
from foundry.jobs.pending import DispatchOptions
from foundry.jobs.secure import SecureJob
from foundry.kernel.container import Container
from foundry.queue.manager import QueueManager

__all__ = ["QueueDispatcher"]


class QueueDispatcher:
    """Queues through ``manager``; runs jobs now inside ``scope`` (or a scope of its own)."""

    def __init__(self, manager: QueueManager, scope: Container) -> None:
        self.manager = manager
        self.scope = scope

    async def push(self, job: Job, options: DispatchOptions | None = None) -> str | None:
        """See :meth:`QueueManager.push`."""
        return await self.manager.push(job, options)

    async def dispatch_now(self, job: Job) -> object:
        """Run ``job`` in this process with its middleware; what ``handle`` returned."""
        if isinstance(job, SecureJob) and job.required_permissions:
            # No dispatching user to check here: refuse rather than run unchecked.
            raise JobAuthorizationError(
                f"{job.display_name()} requires permissions; dispatch it with .by_user(user_id)"
            )
        if self.scope.is_scope:
            return await run_job(job, self.scope)
        async with self.scope.scope() as scope:
            return await run_job(job, scope)
