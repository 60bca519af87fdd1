"""Job metrics, worker heartbeats, queue monitoring and health (``queue:metrics``,
``queue:monitor``, ``queue:health`` and the dashboards read :class:`QueueMetrics`)."""

from foundry.queue.metrics.heartbeat import WorkerHeartbeat
from foundry.queue.metrics.histogram import RELATIVE_ERROR
from foundry.queue.metrics.recorder import MetricsRecorder
from foundry.queue.metrics.reports import (
    MetricsRow,
    Overview,
    QueueSize,
    TimelinePoint,
    WorkerStatus,
)
from foundry.queue.metrics.service import MetricsDisabledError, QueueMetrics, choose_store
from foundry.queue.metrics.store import MetricsStore, WorkerInfo
from foundry.queue.metrics.tally import SeriesKey, Tally

__all__ = [
    "RELATIVE_ERROR",
    "MetricsDisabledError",
    "MetricsRecorder",
    "MetricsRow",
    "MetricsStore",
    "Overview",
    "QueueMetrics",
    "QueueSize",
    "SeriesKey",
    "Tally",
    "TimelinePoint",
    "WorkerHeartbeat",
    "WorkerInfo",
    "WorkerStatus",
    "choose_store",
]
