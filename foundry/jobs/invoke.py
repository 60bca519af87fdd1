"""Calling a job's ``handle``: parameters from the container, sync handlers on a thread.

A synchronous ``handle`` runs on a worker thread so that the worker can enforce its timeout
(the event loop stays free to notice) and so that blocking I/O never stalls the loop.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
from collections.abc import Sequence
from typing import TYPE_CHECKING

from foundry.jobs.middleware import JobMiddleware, run_through
from foundry.kernel.container import Container

if TYPE_CHECKING:
    from foundry.jobs.job import Job

__all__ = ["call_handle", "run_job"]


async def call_handle(job: Job, container: Container) -> object:
    """Run ``job.handle`` with its parameters resolved from ``container``."""
    handle = getattr(job, "handle", None)
    if handle is None or not callable(handle):
        raise TypeError(f"{type(job).__qualname__} has no handle() method")
    if inspect.iscoroutinefunction(handle):
        return await container.call(handle)
    context = contextvars.copy_context()
    result = await asyncio.to_thread(context.run, functools.partial(container.call, handle))
    if inspect.isawaitable(result):
        result = await result
    return result


async def run_job(job: Job, container: Container, outer: Sequence[JobMiddleware] = ()) -> object:
    """``handle`` wrapped in ``outer`` (the queue's middleware), then the job's own."""

    async def core(inner: Job) -> object:
        return await call_handle(inner, container)

    from foundry.jobs.rate_limited import job_rate_limit_middleware

    stack = [*outer, *job_rate_limit_middleware(job), *job.middleware()]
    return await run_through(stack, job, core)
