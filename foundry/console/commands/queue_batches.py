"""``queue:batches``, ``queue:retry-batch`` and ``queue:prune-batches``."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

if TYPE_CHECKING:
    from foundry.queue.batching import Batch

__all__ = ["queue_batches", "queue_prune_batches", "queue_retry_batch"]


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


def _status(batch: Batch) -> str:
    if batch.cancelled():
        return "cancelled"
    return "finished" if batch.finished() else "pending"


def queue_batches(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many, newest first")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print the batches as JSON")] = False,
) -> None:
    """List the job batches, newest first.

    With --json, a list of objects: ``id``, ``name``, ``total_jobs``, ``pending_jobs``,
    ``processed_jobs``, ``progress`` (percent), ``failed_jobs``, ``failed_job_ids``,
    ``created_at``, ``cancelled_at``, ``finished_at`` (Unix seconds or null) and ``status``.
    """
    from foundry.queue.batching import BatchRepository

    async def work(application: Application, scope: Container) -> list[Batch]:
        return await application.container.make(BatchRepository).recent(limit)

    rows = run_in_application(work, load_config())
    output = Output()
    if as_json:
        output.json([{**row.to_dict(), "status": _status(row)} for row in rows])
    elif not rows:
        output.info("No job batches found.")
    else:
        output.table(
            ["ID", "Name", "Progress", "Jobs", "Pending", "Failed", "Status", "Created At"],
            [
                [
                    r.id,
                    r.name,
                    f"{r.progress()}%",
                    str(r.total_jobs),
                    str(r.pending_jobs),
                    str(r.failed_jobs),
                    _status(r),
                    _when(r.created_at),
                ]
                for r in rows
            ],
        )


def queue_retry_batch(
    id: Annotated[str, typer.Argument(help="The batch id (queue:batches lists them)")],
) -> None:
    """Retry the failed jobs of a batch.

    Exits with 1 if the batch does not exist or one of its failed jobs could not be retried.
    """
    from foundry.queue.batching import BatchRepository, BatchRetry, retry_batch
    from foundry.queue.manager import QueueManager

    async def work(application: Application, scope: Container) -> BatchRetry:
        batch = await application.container.make(BatchRepository).find(id)
        if batch is None:
            raise CommandError(f"Unable to find a batch with ID [{id}].")
        if not batch.failed_job_ids:
            raise CommandError("The given batch does not contain any failed jobs.")
        return await retry_batch(application.container.make(QueueManager), batch)

    outcome = run_in_application(work, load_config())
    output = Output()
    for job_id in outcome.retried:
        output.task(job_id, "DONE")
    for problem in outcome.problems:
        output.error(problem)
    if outcome.problems:
        raise typer.Exit(code=1)


def queue_prune_batches(
    hours: Annotated[
        float, typer.Option("--hours", min=0, help="Finished batches older than N hours")
    ] = 24,
    unfinished: Annotated[
        float | None,
        typer.Option("--unfinished", min=0, help="Also unfinished batches older than N hours"),
    ] = None,
    cancelled: Annotated[
        float | None,
        typer.Option("--cancelled", min=0, help="Also cancelled batches older than N hours"),
    ] = None,
) -> None:
    """Prune stale entries from the batches table (or Redis)."""
    from foundry.queue.batching import BatchRepository

    async def work(application: Application, scope: Container) -> list[int]:
        repository = application.container.make(BatchRepository)
        now = time.time()
        counts = [await repository.prune(now - hours * 3600)]
        if unfinished is not None:
            counts.append(await repository.prune_unfinished(now - unfinished * 3600))
        if cancelled is not None:
            counts.append(await repository.prune_cancelled(now - cancelled * 3600))
        return counts

    counts = run_in_application(work, load_config())
    output = Output()
    output.info(f"{counts[0]} entries deleted.")
    if unfinished is not None:
        output.info(f"{counts[1]} unfinished entries deleted.")
    if cancelled is not None:
        output.info(f"{counts[-1]} cancelled entries deleted.")
