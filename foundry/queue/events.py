"""Queue lifecycle events, dispatched through the app's event dispatcher."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["JobFailed", "JobProcessed", "JobProcessing", "JobQueued", "JobReleased"]


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
