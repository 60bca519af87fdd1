"""``queue:metrics``, ``queue:monitor`` and ``queue:health``: read through ``QueueMetrics``."""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["queue_health", "queue_metrics", "queue_monitor"]


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def queue_metrics(
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON")] = False,
    queue: Annotated[str | None, typer.Option("--queue", help="Only this queue")] = None,
    minutes: Annotated[
        int, typer.Option("--minutes", min=1, max=7 * 24 * 60, help="The window, in minutes")
    ] = 60,
) -> None:
    """Show throughput, runtime (avg, p50, p95), wait and failures per queue and job class.

    With --json: ``{"minutes", "queues": [...], "jobs": [...]}``, each row with ``connection``,
    ``queue``, ``job`` (``null`` in ``queues``), ``processed``, ``failed``, ``released``,
    ``throughput`` (jobs per minute), ``runtime_avg``, ``runtime_p50``, ``runtime_p95``,
    ``runtime_max`` and ``wait_avg`` (seconds, or ``null``).
    """
    from foundry.queue.metrics import MetricsDisabledError, MetricsRow, QueueMetrics

    async def work(
        application: Application, scope: Container
    ) -> tuple[list[MetricsRow], list[MetricsRow]]:
        metrics = application.container.make(QueueMetrics)
        try:
            return (
                await metrics.by_queue(minutes, queue=queue),
                await metrics.by_job(minutes, queue=queue),
            )
        except MetricsDisabledError as exc:
            raise CommandError(str(exc)) from None

    queues, jobs = run_in_application(work, load_config())
    output = Output()
    if as_json:
        output.json(
            {
                "minutes": minutes,
                "queues": [row.to_dict() for row in queues],
                "jobs": [row.to_dict() for row in jobs],
            }
        )
        return
    if not queues:
        output.info(f"No jobs finished in the last {minutes} minute(s).")
        return
    headers = ["Processed", "Failed", "Jobs/min", "Avg", "p50", "p95", "Wait"]

    def cells(row: MetricsRow) -> list[str]:
        return [
            str(row.processed),
            str(row.failed),
            f"{row.throughput:.2f}",
            _seconds(row.runtime_avg),
            _seconds(row.runtime_p50),
            _seconds(row.runtime_p95),
            _seconds(row.wait_avg),
        ]

    output.heading(f"Queues (last {minutes} min)")
    output.table(
        ["Connection", "Queue", *headers], [[r.connection, r.queue, *cells(r)] for r in queues]
    )
    output.heading("Job classes")
    output.table(["Queue", "Job", *headers], [[r.queue, r.job or "", *cells(r)] for r in jobs])


def queue_monitor(
    queues: Annotated[
        list[str], typer.Argument(help="[connection:]queue[:max], e.g. default:100 redis:emails:50")
    ],
    max_size: Annotated[
        int, typer.Option("--max", min=1, help="The threshold of queues that name none")
    ] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the sizes as JSON")] = False,
) -> None:
    """Fire ``QueueBusy`` for every queue holding at least its threshold of jobs (Laravel's
    ``queue:monitor``; run it every minute from the scheduler). Exits 0 either way: listeners
    of ``QueueBusy`` decide what to do."""
    from foundry.queue.errors import UnknownConnectionError
    from foundry.queue.manager import QueueManager
    from foundry.queue.metrics.monitor import QueueLoad, monitor, parse_target

    async def work(application: Application, scope: Container) -> list[QueueLoad]:
        manager = application.container.make(QueueManager)
        connections = set(manager.settings.all_connections())
        try:
            targets = [parse_target(text, max_size, connections) for text in queues]
            return await monitor(manager, targets)
        except (ValueError, UnknownConnectionError) as exc:
            raise CommandError(str(exc)) from None

    loads = run_in_application(work, load_config())
    output = Output()
    if as_json:
        output.json([load.to_dict() for load in loads])
        return
    output.table(
        ["Connection", "Queue", "Size", "Max", "Status"],
        [
            [r.connection, r.queue, str(r.size), str(r.max), "ALERT" if r.busy else "OK"]
            for r in loads
        ],
    )


def queue_health(
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
    stuck_after: Annotated[
        float | None,
        typer.Option(
            "--stuck-after",
            min=1,
            help="Seconds the oldest job may wait (default QUEUE_HEALTH_STUCK_AFTER)",
        ),
    ] = None,
    min_workers: Annotated[
        int, typer.Option("--min-workers", min=0, help="Live workers each connection needs")
    ] = 1,
    connection: Annotated[
        list[str] | None,
        typer.Option("--connection", help="Check this connection (repeatable; default: all used)"),
    ] = None,
) -> None:
    """Exit 1 when workers are missing or a queue is stuck (for uptime checks), else 0.

    Fails when a checked connection has fewer live workers than --min-workers, when a queue
    has waiting jobs and no live worker works it, or when its oldest ready job has waited
    longer than --stuck-after seconds. Each reason is printed.
    """
    from foundry.queue.errors import UnknownConnectionError
    from foundry.queue.metrics import MetricsDisabledError, QueueMetrics
    from foundry.queue.metrics.health import HealthReport, check_health

    async def work(application: Application, scope: Container) -> HealthReport:
        metrics = application.container.make(QueueMetrics)
        try:
            return await check_health(
                metrics,
                connections=connection or None,
                stuck_after=stuck_after,
                min_workers=min_workers,
            )
        except (MetricsDisabledError, UnknownConnectionError) as exc:
            raise CommandError(str(exc)) from None

    report = run_in_application(work, load_config())
    output = Output()
    if as_json:
        output.json(report.to_dict())
    else:
        for problem in report.problems:
            output.error(problem)
        for note in report.notes:
            output.warn(note)
        if report.healthy:
            live = len(report.workers)
            output.info(f"Queues healthy: {live} live worker(s), {len(report.queues)} queue(s).")
    if not report.healthy:
        raise typer.Exit(code=1)
