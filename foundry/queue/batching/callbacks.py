"""Batch callbacks as queued jobs: checked and signed at ``dispatch()``, queued when they are due.

A callback is a :class:`~foundry.jobs.job.Job` instance or a module-level function taking the
batch (sync or async). A function is stored by its import path (never pickled) inside a
:class:`BatchCallbackJob`. Either way its payload is built and signed at ``dispatch()`` and kept
in the batch's options; when the callback is due, that payload is pushed as it is, so nothing
read back from the batch's row can name code the app did not sign.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from foundry.jobs.job import Job
from foundry.jobs.pending import DispatchOptions
from foundry.queue.batching.job import BatchableJob
from foundry.queue.batching.repository import BatchRepository
from foundry.queue.drivers.base import PushItem
from foundry.queue.events import JobQueued

if TYPE_CHECKING:
    from foundry.queue.batching.batch import Batch
    from foundry.queue.manager import QueueManager

__all__ = [
    "BatchCallback",
    "BatchCallbackJob",
    "CallbackKind",
    "InvalidBatchCallbackError",
    "function_path",
    "prepare_callback",
    "push_callbacks",
]

logger = logging.getLogger("foundry.queue")

CallbackKind = Literal["then", "catch", "finally"]
#: A job instance, or a module-level ``def f(batch: Batch) -> None`` (or ``async def``).
BatchCallback: TypeAlias = "Job | Callable[[Batch], object]"


class InvalidBatchCallbackError(TypeError):
    """A callback a worker could not find again: a lambda, closure, method or ``__main__``."""


def function_path(function: object) -> str:
    """``module:name`` of a module-level function; raises :class:`InvalidBatchCallbackError`."""
    if not inspect.isfunction(function):
        raise InvalidBatchCallbackError(
            f"batch callback {function!r} must be a Job instance or a module-level function"
        )
    name, module = function.__qualname__, function.__module__
    if function.__name__ == "<lambda>" or "<locals>" in name or "." in name:
        raise InvalidBatchCallbackError(
            f"batch callback {module}.{name} is a lambda, closure, nested function or method: "
            "workers find callbacks by import path, so use a module-level function (or a job)"
        )
    if module == "__main__" or getattr(sys.modules.get(module), name, None) is not function:
        raise InvalidBatchCallbackError(
            f"batch callback {module}.{name} cannot be imported by a worker: define it in a "
            "module of the application"
        )
    return f"{module}:{name}"


def import_function(path: str) -> Callable[[Batch], object]:
    """The function ``module:name`` names (the path comes from a signed payload)."""
    module, _, name = path.partition(":")
    found = getattr(importlib.import_module(module), name, None)
    if not inspect.isfunction(found):
        raise LookupError(f"batch callback {path} is not a function")
    return found


class BatchCallbackJob(Job):
    """Runs one function callback of a batch with the batch as it is then."""

    def __init__(self, batch_id: str, kind: str, target: str) -> None:
        self.batch_id = batch_id
        self.kind = kind
        self.target = target

    def display_name(self) -> str:
        """``then callback app.reports:notify``."""
        return f"{self.kind} callback {self.target}"

    async def handle(self, batches: BatchRepository) -> None:
        """Call the function; a batch pruned meanwhile is logged and skipped."""
        batch = await batches.find(self.batch_id)
        if batch is None:
            logger.warning("batch %s is gone: %s not run", self.batch_id, self.display_name())
            return
        result = import_function(self.target)(batch)
        if inspect.isawaitable(result):
            await result


async def prepare_callback(
    manager: QueueManager,
    callback: BatchCallback,
    batch_id: str,
    kind: CallbackKind,
    options: DispatchOptions,
) -> dict[str, Any]:
    """The signed, ready-to-push form of ``callback``, as stored in the batch's options."""
    if isinstance(callback, Job):
        job = callback.copy()
        if isinstance(job, BatchableJob):
            job.batch_id = batch_id  # self.batch() works; it is not a member of the batch
    else:
        job = BatchCallbackJob(batch_id, kind, function_path(callback))
    driver, item = await manager._prepare(job, options)
    return {
        "connection": driver.name,
        "uuid": item.uuid,
        "payload": item.payload,
        "queue": item.queue,
        "priority": item.priority,
        "timeout": item.timeout,
        "name": job.display_name(),
    }


async def push_callbacks(manager: QueueManager, batch: Batch, kind: CallbackKind) -> None:
    """Queue the batch's ``kind`` callbacks. The caller made sure this happens once."""
    for entry in batch.options.get("callbacks", {}).get(kind, []):
        driver = manager.connection(str(entry["connection"]))
        item = PushItem(
            str(entry["uuid"]),
            str(entry["payload"]),
            str(entry["queue"]),
            time.time(),
            int(entry.get("priority") or 0),
            entry.get("timeout"),
        )
        await driver.push(item)
        await manager.fire(JobQueued(driver.name, item.queue, item.uuid, str(entry["name"])))
