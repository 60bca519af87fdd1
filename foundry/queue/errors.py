"""Errors of the queue manager."""

from __future__ import annotations

__all__ = ["QueueFullError", "UnknownConnectionError", "UnknownQueueError"]


class UnknownConnectionError(LookupError):
    """No queue connection has that name."""


class UnknownQueueError(LookupError):
    """A queue name that is not valid (empty, or not a plain name)."""


class QueueFullError(RuntimeError):
    """The queue already holds its ``max_jobs`` (``define_queue``); the job was not queued."""
