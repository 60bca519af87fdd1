"""``MetricsStore``: where tallies and worker heartbeats are kept (Redis or the database)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from foundry.queue.metrics.tally import SeriesKey, Tally

__all__ = ["GONE_KEPT", "MetricsStore", "WorkerInfo"]

#: Seconds a dead worker's last heartbeat stays listed (as gone) before it is dropped.
GONE_KEPT = 3600.0


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What a worker says about itself at each heartbeat."""

    id: str
    name: str
    connection: str
    host: str
    pid: int
    queues: tuple[str, ...]
    #: ``"<queue>: <job class> [<job id>]"`` while a job runs, else ``None``.
    current_job: str | None
    jobs_done: int
    memory_mb: float
    started_at: float
    heartbeat_at: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        data = asdict(self)
        data["queues"] = list(self.queues)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WorkerInfo:
        """The inverse of :meth:`to_dict`."""
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            connection=str(data["connection"]),
            host=str(data["host"]),
            pid=int(data["pid"]),
            queues=tuple(str(q) for q in data["queues"]),
            current_job=None if data.get("current_job") is None else str(data["current_job"]),
            jobs_done=int(data["jobs_done"]),
            memory_mb=float(data["memory_mb"]),
            started_at=float(data["started_at"]),
            heartbeat_at=float(data["heartbeat_at"]),
        )


class MetricsStore(ABC):
    """Keeps per-minute tallies (added to, never rewritten) and the worker registry."""

    def __init__(self, retention: float) -> None:
        """``retention``: seconds a minute's tallies are kept."""
        self.retention = retention

    @abstractmethod
    async def add(self, tallies: Mapping[SeriesKey, Tally]) -> None:
        """Add ``tallies`` to the stored ones, in one round trip where the back end allows."""

    @abstractmethod
    async def read(self, since: int, until: int) -> dict[SeriesKey, Tally]:
        """The stored tallies of the minutes starting in ``[since, until]`` (Unix seconds)."""

    @abstractmethod
    async def prune(self, now: float) -> int:
        """Drop tallies older than the retention and workers gone for long; how many went."""

    @abstractmethod
    async def beat(self, worker: WorkerInfo) -> None:
        """Record ``worker``'s heartbeat (registering it if new)."""

    @abstractmethod
    async def forget_worker(self, worker_id: str) -> None:
        """Take a worker that stopped cleanly off the registry."""

    @abstractmethod
    async def workers(self, now: float) -> list[WorkerInfo]:
        """Every registered worker, live or gone (gone for less than :data:`GONE_KEPT`)."""

    async def aclose(self) -> None:
        """Release connections the store opened itself."""
