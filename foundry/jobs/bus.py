"""The ``Bus`` facade: the application's :class:`~foundry.jobs.contracts.JobDispatcher`.

``await Bus.push(job)`` queues, ``await Bus.dispatch_now(job)`` runs in this process;
``job.dispatch()`` and ``Job.dispatch_now(...)`` go through it.
"""

from __future__ import annotations

from foundry.jobs.contracts import JobDispatcher
from foundry.kernel.facades import facade

__all__ = ["Bus"]

Bus: JobDispatcher = facade(JobDispatcher)
