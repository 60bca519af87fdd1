"""Queue lifecycle events, and ``EventSink``: what the queue hands them to.

The events battery binds ``EventSink`` to the application's dispatcher, so the queue fires
events without importing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

__all__ = [
    "EventSink",
    "JobFailed",
    "JobProcessed",
    "JobProcessing",
    "JobQueued",
    "JobReleased",
    "QueueBusy",
]


class EventSink(Protocol):
    """Dispatches an event to its listeners (``foundry.events.EventDispatcher`` is one)."""

    async def dispatch(self, event: object, *, after_commit: bool = True) -> Any:
        """Run the listeners of ``event``; ``after_commit=False`` runs them at once."""
        ...


@dataclass(frozen=True, slots=True)
class JobQueued:
    """A job was stored on a queue (or handed to the sync driver)."""

    connection: str
    queue: str
    job_id: str
    job_name: str


@dataclass(frozen=True, slots=True)
class JobProcessing:
    """A worker is about to run a job."""

    connection: str
    queue: str
    job_id: str
    job_name: str
    attempts: int


@dataclass(frozen=True, slots=True)
class JobProcessed:
    """A job finished (or deleted itself)."""

    connection: str
    queue: str
    job_id: str
    job_name: str
    attempts: int


@dataclass(frozen=True, slots=True)
class JobReleased:
    """A job went back on its queue, to run again after ``delay`` seconds."""

    connection: str
    queue: str
    job_id: str
    job_name: str
    attempts: int
    delay: float


@dataclass(frozen=True, slots=True)
class JobFailed:
    """A job failed for good and was recorded in ``failed_jobs``."""

    connection: str
    queue: str
    job_id: str
    job_name: str
    exception: str


@dataclass(frozen=True, slots=True)
class QueueBusy:
    """``queue:monitor`` found a queue holding ``size`` jobs, at or over its threshold ``max``."""

    connection: str
    queue: str
    size: int
    max: int
