"""``queue:top``: an htop-style terminal dashboard of queues, workers and failed jobs."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["queue_top"]


def queue_top(
    interval: Annotated[
        float, typer.Option("--interval", min=0.2, help="Seconds between refreshes")
    ] = 1.0,
    queue: Annotated[
        str | None, typer.Option("--queue", help="Only queues whose name contains this")
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="Print one plain-text snapshot and exit")
    ] = False,
) -> None:
    """Full-screen view of queues, workers, throughput and failed jobs, refreshed live.

    Keys: s/S sort (reverse), / or f filter by queue (Enter; Esc clears), r retry the selected
    failed job, R retry all (asks first), tab next table, q quit. When stdout is not a terminal
    (or with --once) it prints one snapshot as plain text and exits 0.
    """
    from foundry.console.queue_top import SnapshotSource, render_text
    from foundry.queue.manager import QueueManager
    from foundry.queue.metrics import QueueMetrics

    interactive = not once and sys.stdout.isatty() and sys.stdin.isatty()

    async def work(application: Application, scope: Container) -> str:
        source = SnapshotSource(
            application.container.make(QueueManager), application.container.make(QueueMetrics)
        )
        if not interactive:
            return render_text(await source.read(queue))
        from foundry.console.queue_top.app import QueueTopApp

        await QueueTopApp(source, interval, queue).run_async()
        return ""

    text = run_in_application(work, load_config())
    if text:
        sys.stdout.write(text)
