"""``queue:top``: a full-screen, htop-style view of queues, workers and failed jobs.

:mod:`.snapshot` reads everything once (through ``QueueMetrics`` and the failed-job store),
:mod:`.text` prints a snapshot as plain text and :mod:`.app` is the textual application.
"""

from foundry.console.queue_top.snapshot import (
    FailedLine,
    QueueLine,
    Snapshot,
    SnapshotSource,
    read_snapshot,
)
from foundry.console.queue_top.text import render_text

__all__ = [
    "FailedLine",
    "QueueLine",
    "Snapshot",
    "SnapshotSource",
    "read_snapshot",
    "render_text",
]
