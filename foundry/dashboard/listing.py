"""What the Jobs pages list: one row per job, and the search that narrows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from foundry.dashboard.redaction import job_name, redacted_payload

__all__ = ["JobFilter", "JobRow", "JobStatus", "last_line", "row_from_payload"]

JobStatus = Literal["pending", "reserved", "delayed", "failed"]


@dataclass(frozen=True, slots=True)
class JobFilter:
    """A search: ``text`` matches the job's class or name (any part, any case), its uuid, or its
    failed-job id; ``queue`` is a queue name (exact). Jobs carry no tags yet, so there is no tag
    search."""

    text: str = ""
    queue: str = ""

    def matches(self, row: JobRow) -> bool:
        """Whether ``row`` is one the search asks for."""
        if self.queue and row.queue != self.queue:
            return False
        needle = self.text.strip().lower()
        if not needle:
            return True
        return (
            needle in row.job.lower()
            or needle in row.name.lower()
            or row.uuid.lower().startswith(needle)
            or needle == row.id
        )


@dataclass(frozen=True, slots=True)
class JobRow:
    """One job as the lists show it (JSON-ready through :meth:`as_json`)."""

    #: The key of its detail page: the failed job's id, or the pending job's uuid.
    id: str
    uuid: str
    name: str
    job: str
    connection: str
    queue: str
    status: JobStatus
    attempts: int
    #: Unix seconds: when it was queued (pending) or when it failed.
    at: float | None
    #: The last line of its exception (failed jobs).
    exception: str = ""

    def as_json(self) -> dict[str, Any]:
        """The row as the JSON endpoints send it."""
        return {
            "id": self.id,
            "uuid": self.uuid,
            "name": self.name,
            "job": self.job,
            "connection": self.connection,
            "queue": self.queue,
            "status": self.status,
            "attempts": self.attempts,
            "at": self.at,
            "exception": self.exception,
        }


def last_line(exception: str) -> str:
    """The exception's ``Type: message`` line (the last line of a traceback)."""
    lines = exception.strip().splitlines()
    return lines[-1][:300] if lines else ""


def row_from_payload(
    key: str,
    payload_text: str,
    *,
    connection: str,
    queue: str,
    status: JobStatus,
    attempts: int,
    at: float | None,
    exception: str = "",
) -> JobRow:
    """A row from a stored payload (an unreadable payload still gives a row, so it can be
    found and forgotten)."""
    payload = redacted_payload(payload_text)
    uuid = str(payload.get("uuid", "")) if payload else ""
    return JobRow(
        id=key,
        uuid=uuid,
        name=job_name(payload),
        job=str(payload.get("job", "")) if payload else "",
        connection=connection,
        queue=queue,
        status=status,
        attempts=attempts,
        at=at if at is not None else (_float(payload.get("pushed_at")) if payload else None),
        exception=last_line(exception),
    )


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None
