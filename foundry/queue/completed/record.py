"""``CompletedJob``: what is kept of a job that finished (never its payload)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from foundry.queue.lifecycle import JobRun

__all__ = ["CompletedJob"]


@dataclass(frozen=True, slots=True)
class CompletedJob:
    """One job that ``handle``d successfully: which, where, how long, when."""

    #: The job's uuid (the payload's), or the back end's id when the payload was unreadable.
    uuid: str
    #: Its display name (the job class unless it names itself).
    name: str
    connection: str
    queue: str
    #: Milliseconds ``handle`` took.
    runtime_ms: float
    #: Deliveries it took, the last one included.
    attempts: int
    #: When it finished (Unix seconds).
    finished_at: float

    @classmethod
    def of(cls, run: JobRun, finished_at: float) -> CompletedJob:
        """The record of ``run``, which just succeeded."""
        uuid = run.payload.get("uuid") if run.payload else None
        return cls(
            uuid=str(uuid or run.reserved.id)[:64],
            name=run.job_name[:255],
            connection=run.reserved.connection,
            queue=run.reserved.queue,
            runtime_ms=round((run.runtime or 0.0) * 1000, 3),
            attempts=run.reserved.attempts,
            finished_at=finished_at,
        )

    def as_json(self) -> dict[str, Any]:
        """The fields, JSON-ready (what the dashboard's endpoint lists)."""
        return asdict(self)

    def dumps(self) -> str:
        """Compact JSON text (a Redis member)."""
        return json.dumps(self.as_json(), separators=(",", ":"))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CompletedJob:
        """The inverse of :meth:`as_json` (also reads a table row's mapping)."""
        return cls(
            uuid=str(data["uuid"]),
            name=str(data["name"]),
            connection=str(data["connection"]),
            queue=str(data["queue"]),
            runtime_ms=float(data["runtime_ms"]),
            attempts=int(data["attempts"]),
            finished_at=float(data["finished_at"]),
        )
