"""What the Overview, Metrics and Workers pages show, read from
:class:`~foundry.queue.metrics.QueueMetrics` and shaped as JSON-ready dicts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from foundry.queue.metrics import MetricsRow, QueueMetrics, QueueSize, Tally, WorkerStatus
from foundry.queue.pausing import paused_queues

__all__ = [
    "RANGES",
    "QueueStatus",
    "paused_set",
    "metrics_json",
    "overview_json",
    "queue_status",
    "workers_json",
]

QueueStatus = Literal["paused", "running", "no workers", "idle"]

#: Time range -> (minutes shown, minutes per chart point).
RANGES: dict[str, tuple[int, int]] = {
    "1h": (60, 1),
    "6h": (360, 5),
    "24h": (1440, 15),
    "7d": (10080, 120),
}
#: Lines a chart shows at most when no queue or class is chosen (the busiest ones).
MAX_SERIES = 8
_CURRENT = re.compile(r"^(?P<queue>.*): (?P<job>.*) \[(?P<id>[^\]]*)\]$")


async def paused_set(
    metrics: QueueMetrics, queues: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Which of the ``(connection, queue)`` pairs are paused (``artisan queue:pause``): one cache
    read per connection."""
    by_connection: dict[str, list[str]] = {}
    for connection, queue in queues:
        by_connection.setdefault(connection, []).append(queue)
    found: set[tuple[str, str]] = set()
    for connection, names in by_connection.items():
        paused = await paused_queues(metrics.manager, connection, names)
        found |= {(connection, name) for name in paused}
    return found


def queue_status(size: QueueSize, live: list[WorkerStatus], paused: bool = False) -> QueueStatus:
    """``paused``; ``running`` when a live worker serves the queue; ``no workers`` when jobs
    wait and none does (the red one); else ``idle``."""
    if paused:
        return "paused"
    if any(worker.serves(size.connection, size.queue) for worker in live):
        return "running"
    return "no workers" if size.pending else "idle"


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 3)


def _queue_json(
    size: QueueSize, row: MetricsRow | None, live: list[WorkerStatus], paused: bool
) -> dict[str, Any]:
    return {
        **size.to_dict(),
        "throughput": row.throughput if row else 0.0,
        "processed": row.processed if row else 0,
        "failed": row.failed if row else 0,
        "runtime_avg_ms": _ms(row.runtime_avg) if row else None,
        "runtime_p95_ms": _ms(row.runtime_p95) if row else None,
        "workers": sum(1 for worker in live if worker.serves(size.connection, size.queue)),
        "paused": paused,
        "status": queue_status(size, live, paused),
    }


async def _sizes(metrics: QueueMetrics, connections: list[str]) -> list[QueueSize]:
    found: list[QueueSize] = []
    for name in connections:
        if name == "sync":
            continue
        found.extend(await metrics.queue_sizes(name))
    return found


async def overview_json(metrics: QueueMetrics, now: float | None = None) -> dict[str, Any]:
    """The headline numbers, the live workers and one row per queue (sizes now; throughput
    and runtime over the last hour)."""
    overview = await metrics.overview(now)
    live = await metrics.workers(now=now)
    rows = {(row.connection, row.queue): row for row in await metrics.by_queue(60, now=now)}
    default = metrics.manager.default_connection
    connections = sorted(
        {default} | {c for c, _ in rows} | {worker.worker.connection for worker in live},
        key=lambda name: (name != default, name),
    )
    sizes = {(size.connection, size.queue): size for size in await _sizes(metrics, connections)}
    # Queues with metrics or a live worker but holding no job now are listed, empty.
    served = {(w.worker.connection, name) for w in live for name in w.worker.queues}
    for connection, name in (rows.keys() | served) - sizes.keys():
        if connection != "sync":
            sizes[(connection, name)] = QueueSize(connection, name, 0, 0, 0, None)
    paused = await paused_set(metrics, sizes.keys())
    queues = [
        _queue_json(size, rows.get(key), live, key in paused)
        for key, size in sorted(sizes.items(), key=lambda item: (item[0][0] != default, item[0]))
    ]
    return {
        "stats": {
            **overview.to_dict(),
            "active_workers": len(live),
            "pending": sum(size.pending for size in sizes.values()),
        },
        "queues": queues,
        "workers": [_worker_json(worker) for worker in live],
    }


def _worker_json(status: WorkerStatus) -> dict[str, Any]:
    data = status.to_dict()
    found = _CURRENT.match(status.worker.current_job or "")
    data["current"] = (
        {"queue": found["queue"], "job": found["job"], "id": found["id"]} if found else None
    )
    data["memory_mb"] = round(status.worker.memory_mb, 1)
    return data


async def workers_json(metrics: QueueMetrics, now: float | None = None) -> list[dict[str, Any]]:
    """Every registered worker, live ones first, then those gone (greyed by the page)."""
    found = await metrics.workers(include_gone=True, now=now)
    found.sort(key=lambda w: (not w.alive, w.worker.name, w.worker.host, w.worker.pid))
    return [_worker_json(worker) for worker in found]


@dataclass(slots=True)
class _Line:
    label: str
    connection: str
    queue: str
    job: str | None
    buckets: dict[int, Tally]

    def total(self) -> int:
        return sum(t.processed + t.failed for t in self.buckets.values())


async def metrics_json(
    metrics: QueueMetrics,
    range_name: str,
    by: Literal["queue", "job"],
    key: str = "",
    now: float | None = None,
) -> dict[str, Any]:
    """Chart data: per point of ``range_name`` (:data:`RANGES`) and per queue (``by="queue"``,
    ``key`` "connection:queue") or job class (``key`` the class name), throughput in jobs per
    minute and runtime (average and p95) in ms; ``key`` empty: the busiest lines."""
    minutes, step = RANGES[range_name]
    now = metrics.clock() if now is None else now
    end = int(now) - int(now) % (step * 60)
    starts = [end - index * step * 60 for index in range(minutes // step - 1, -1, -1)]
    found = await metrics.series(minutes + step, now=now)
    lines: dict[str, _Line] = {}
    options: set[str] = set()
    for series_key, tally in found.items():
        label = f"{series_key.connection}:{series_key.queue}" if by == "queue" else series_key.job
        options.add(label)
        if key and label != key:
            continue
        line = lines.setdefault(
            label,
            _Line(
                label,
                series_key.connection,
                series_key.queue,
                series_key.job if by == "job" else None,
                {},
            ),
        )
        start = series_key.bucket - (series_key.bucket - end) % (step * 60)
        if start >= starts[0]:
            line.buckets.setdefault(start, Tally()).merge(tally)
    chosen = sorted(lines.values(), key=lambda line: (-line.total(), line.label))[:MAX_SERIES]
    series = []
    for line in sorted(chosen, key=lambda line: line.label):
        rows = [MetricsRow.of("", "", None, line.buckets.get(s, Tally()), step) for s in starts]
        series.append(
            {
                "label": line.label,
                "connection": line.connection,
                "queue": line.queue if by == "queue" else None,
                "job": line.job,
                "total": line.total(),
                "throughput": [round(row.throughput, 3) for row in rows],
                "failed": [row.failed for row in rows],
                "runtime_avg_ms": [_ms(row.runtime_avg) for row in rows],
                "runtime_p95_ms": [_ms(row.runtime_p95) for row in rows],
            }
        )
    return {
        "range": range_name,
        "by": by,
        "key": key,
        "step_minutes": step,
        "points": starts,
        "series": series,
        "options": sorted(options),
    }
