"""Catch callbacks: what runs, once, when a link of a chain fails for good.

A callback is queued as a job, never run in the failing worker and never pickled: either a Job
instance (it runs with ``self.chain_failure`` set), or a module-level function stored by its
import path and called by :class:`ChainCatchCall` with the :class:`ChainFailure`. Lambdas,
closures and bound methods cannot be named by a path, so they are refused at ``catch``.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from foundry.jobs.errors import PayloadError
from foundry.jobs.job import Job
from foundry.queue.chaining.state import ChainFailure

__all__ = ["CatchCallback", "ChainCatchCall", "callback_path", "import_callback"]

#: What ``PendingChain.catch`` takes.
CatchCallback = Job | Callable[[ChainFailure], None] | Callable[[ChainFailure], Awaitable[None]]


def callback_path(function: object) -> str:
    """``module:qualname`` of a module-level function; :class:`TypeError` for anything else."""
    if not inspect.isfunction(function):
        raise TypeError(
            f"a chain's catch takes a Job instance or a module-level function, not {function!r}"
        )
    path = f"{function.__module__}:{function.__qualname__}"
    if "<" in function.__qualname__ or _lookup(path) is not function:
        raise TypeError(
            f"catch callback {function.__qualname__} is a lambda, a closure or otherwise not "
            "importable by its name: catch callbacks are queued by import path (never "
            "pickled), so use a module-level function or a Job"
        )
    return path


def _lookup(path: str) -> object:
    module_name, _, qualname = path.partition(":")
    try:
        target: object = importlib.import_module(module_name)
    except ImportError:
        return None
    for part in qualname.split("."):
        target = getattr(target, part, None)
    return target


def import_callback(path: str) -> Callable[[ChainFailure], object]:
    """The function stored as ``path``; :class:`PayloadError` unless it is a plain function."""
    function = _lookup(path)
    if not inspect.isfunction(function):
        raise PayloadError(f"chain catch callback {path!r} is not a function")
    return function


class ChainCatchCall(Job):
    """Runs one module-level catch callback of a failed chain."""

    tries = 1

    def __init__(self, callback: str) -> None:
        self.callback = callback
        #: Set when the chain fails, before this job is queued.
        self.chain_failure: ChainFailure | None = None

    def display_name(self) -> str:
        """``chain catch module:function``."""
        return f"chain catch {self.callback}"

    async def handle(self) -> None:
        """Call the callback with the failure (awaited when it is ``async``)."""
        result: Any = import_callback(self.callback)(self._failure())
        if inspect.isawaitable(result):
            await result

    def _failure(self) -> ChainFailure:
        if not isinstance(self.chain_failure, ChainFailure):
            raise PayloadError("chain catch job queued without its failure")
        return self.chain_failure
