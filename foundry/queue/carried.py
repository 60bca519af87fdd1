"""``PayloadContext``: state of the dispatching scope that travels with a job (Laravel's
``Context`` hydrated into queued jobs).

A battery above the queue (the activity log's causer) registers one with
:meth:`QueueManager.carry`. At dispatch its :meth:`~PayloadContext.capture` is stored under its
``name`` in the payload, signed with the rest; when a worker runs the job, the value is handed to
:meth:`~PayloadContext.activate`, whose context manager wraps the job's ``handle``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

__all__ = ["PayloadContext"]


class PayloadContext(Protocol):
    """Captures a value when a job is queued and restores it around the job's run."""

    #: The payload key holding the value (must not be one of the queue's own keys).
    name: str

    def capture(self) -> Any:
        """The JSON value to carry (``None`` for nothing)."""
        ...

    def activate(self, value: Any) -> AbstractContextManager[None]:
        """Restore ``value`` (``None`` when the payload has none) while the job runs."""
        ...
