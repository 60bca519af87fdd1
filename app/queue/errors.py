"""Errors of the queue manager."""

from __future__ import annotations

__all__ = ["UnknownConnectionError", "UnknownQueueError"]


class UnknownConnectionError(LookupError):
    """No queue connection has that name."""


class UnknownQueueError(LookupError):
    """A queue name that is not valid (empty, or not a plain name)."""
