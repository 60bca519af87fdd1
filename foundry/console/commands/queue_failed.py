"""``queue:failed``, ``queue:retry``, ``queue:forget``, ``queue:flush``, ``queue:prune-failed``,
``queue:clear`` and ``queue:stats``."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = [
    "queue_clear",
    "queue_failed",
    "queue_flush",
    "queue_forget",
    "queue_prune_failed",
    "queue_retry",
    "queue_stats",
]


def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


def _job_name(payload: str) -> str:
    try:
        data = json.loads(payload)
        return str(data.get("display_name") or data.get("job"))
    except (ValueError, AttributeError):
        return "(unreadable payload)"


def _last_line(exception: str) -> str:
    lines = exception.strip().splitlines()
    return lines[-1][:120] if lines else ""


def queue_failed(
    as_json: Annotated[bool, typer.Option("--json", help="Print the failed jobs as JSON")] = False,
) -> None:
    """List all of the failed queue jobs.

    With --json, a list of objects with snake_case keys: ``id`` (an integer), ``uuid``,
    ``connection``, ``queue``, ``job``, ``failed_at`` (ISO 8601, UTC) and ``exception`` (its
    last line).
    """
    from foundry.queue.failed import FailedJob
    from foundry.queue.manager import QueueManager

    async def work(application: Application, scope: Container) -> list[FailedJob]:
        return await application.container.make(QueueManager).failed_store().all()

    rows = run_in_application(work, load_config())
    output = Output()
    if as_json:
        output.json(
            [
                {
                    "id": r.id,
                    "uuid": r.uuid,
                    "connection": r.connection,
                    "queue": r.queue,
                    "job": _job_name(r.payload),
                    "failed_at": datetime.fromtimestamp(r.failed_at, tz=UTC).isoformat(),
                    "exception": _last_line(r.exception),
                }
                for r in rows
            ]
        )
    elif not rows:
        output.info("No failed jobs found.")
    else:
        output.table(
            ["ID", "UUID", "Connection", "Queue", "Job", "Failed At", "Exception"],
            [
                [
                    str(r.id),
                    r.uuid,
                    r.connection,
                    r.queue,
                    _job_name(r.payload),
                    _when(r.failed_at),
                    _last_line(r.exception),
                ]
                for r in rows
            ],
        )


def queue_retry(
    ids: Annotated[list[str], typer.Argument(help="Failed job ids or uuids, or 'all'")],
    queue: Annotated[
        str | None, typer.Option("--queue", help="With 'all': only this queue's failed jobs")
    ] = None,
) -> None:
    """Retry failed queue jobs.

    Every job found is retried; the command then exits with 1 if an id matched no failed job or
    a job could not be retried (like queue:forget), so scripts notice.
    """
    from foundry.queue.manager import QueueManager
    from foundry.queue.retry import RetryRefused, retry_failed

    output = Output()

    async def work(application: Application, scope: Container) -> tuple[int, int]:
        manager = application.container.make(QueueManager)
        store = manager.failed_store()
        problems = 0
        if ids == ["all"]:
            targets = await store.all(queue)
        else:
            targets = []
            for key in ids:
                found = await store.find(key)
                if found is None:
                    output.error(f"No failed job matches the given ID [{key}].")
                    problems += 1
                else:
                    targets.append(found)
        retried = 0
        for failed in targets:
            try:
                await retry_failed(manager, failed)
            except RetryRefused as exc:
                output.error(str(exc))
                problems += 1
                continue
            output.task(f"{failed.uuid} {_job_name(failed.payload)}", "DONE")
            retried += 1
        return retried, problems

    retried, problems = run_in_application(work, load_config())
    if ids == ["all"] and retried == 0 and problems == 0:
        output.info("No failed jobs to retry.")
    if problems:
        raise typer.Exit(code=1)


def queue_forget(id: Annotated[str, typer.Argument(help="The failed job's id or uuid")]) -> None:
    """Delete a failed queue job."""
    from foundry.queue.manager import QueueManager

    async def work(application: Application, scope: Container) -> bool:
        return await application.container.make(QueueManager).failed_store().forget(id)

    if not run_in_application(work, load_config()):
        raise CommandError(f"No failed job matches the given ID [{id}].")
    Output().info("Failed job deleted successfully.")


def queue_flush(
    hours: Annotated[
        float | None, typer.Option("--hours", min=0, help="Only jobs failed more than N hours ago")
    ] = None,
) -> None:
    """Flush all of the failed queue jobs."""
    from foundry.queue.manager import QueueManager

    async def work(application: Application, scope: Container) -> int:
        return await application.container.make(QueueManager).failed_store().flush(hours)

    count = run_in_application(work, load_config())
    suffix = f" older than {hours:g} hours" if hours is not None else ""
    Output().info(f"{count} failed job(s){suffix} deleted successfully.")


def queue_prune_failed(
    hours: Annotated[
        float | None,
        typer.Option("--hours", min=0, help="Age in hours (default QUEUE_PRUNE_HOURS)"),
    ] = None,
) -> None:
    """Prune stale entries from the failed jobs table."""
    from foundry.queue.manager import QueueManager

    async def work(application: Application, scope: Container) -> int:
        manager = application.container.make(QueueManager)
        age = hours if hours is not None else manager.settings.prune_failed_hours
        return await manager.failed_store().flush(age)

    count = run_in_application(work, load_config())
    Output().info(f"{count} failed job(s) pruned.")


def queue_clear(
    connection: Annotated[
        str | None, typer.Argument(help="The connection (default: QUEUE_CONNECTION)")
    ] = None,
    queue: Annotated[str | None, typer.Option("--queue", help="The queue to clear")] = None,
    force: Annotated[bool, typer.Option("--force", help="Do not ask")] = False,
) -> None:
    """Delete all of the jobs from the specified queue."""
    from foundry.queue.errors import UnknownConnectionError, UnknownQueueError
    from foundry.queue.manager import QueueManager, check_queue_name

    if queue is not None:
        try:
            check_queue_name(queue)
        except UnknownQueueError as exc:
            raise CommandError(str(exc)) from None
    target = f"queue [{queue or 'default'}] on connection [{connection or 'default'}]"
    if not force:
        if not sys.stdin.isatty():
            raise CommandError(f"Refusing to clear {target} without a terminal: use --force.")
        if not typer.confirm(f"Delete every waiting job of {target}?", default=False):
            raise CommandError("Cancelled.")

    async def work(application: Application, scope: Container) -> tuple[str, str, int]:
        manager = application.container.make(QueueManager)
        try:
            driver = manager.connection(connection)
        except UnknownConnectionError as exc:
            raise CommandError(str(exc)) from None
        name = queue or driver.default_queue
        return driver.name, name, await driver.clear(name)

    driver_name, name, count = run_in_application(work, load_config())
    Output().info(f"Cleared {count} job(s) from the [{name}] queue on [{driver_name}].")


def queue_stats(
    connection: Annotated[
        str | None, typer.Argument(help="The connection (default: QUEUE_CONNECTION)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON")] = False,
) -> None:
    """Show per-queue numbers: pending, reserved, delayed, failed, processed."""
    from dataclasses import asdict

    from foundry.queue.errors import UnknownConnectionError
    from foundry.queue.manager import QueueManager
    from foundry.queue.stats import QueueStats, collect_stats

    async def work(application: Application, scope: Container) -> list[QueueStats]:
        manager = application.container.make(QueueManager)
        try:
            return await collect_stats(manager, connection)
        except UnknownConnectionError as exc:
            raise CommandError(str(exc)) from None

    rows = run_in_application(work, load_config())
    output = Output()
    if as_json:
        output.json([asdict(row) for row in rows])
        return
    output.table(
        ["Connection", "Queue", "Pending", "Reserved", "Delayed", "Failed", "Processed"],
        [
            [
                r.connection,
                r.queue,
                str(r.pending),
                str(r.reserved),
                str(r.delayed),
                str(r.failed),
                str(r.processed),
            ]
            for r in rows
        ],
    )
