"""``queue:pause`` and ``queue:continue`` (Laravel 11's syntax: ``[connection:]queue``)."""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["queue_continue", "queue_pause"]

TargetArgument = Annotated[
    str, typer.Argument(help="[connection:]queue (default connection: QUEUE_CONNECTION)")
]


def _change(target: str, *, pause: bool, ttl: float | None) -> tuple[str, str]:
    from foundry.queue.errors import UnknownConnectionError, UnknownQueueError
    from foundry.queue.manager import QueueManager
    from foundry.queue.pausing import continue_queue, parse_queue_target, pause_queue

    async def work(application: Application, scope: Container) -> tuple[str, str]:
        manager = application.container.make(QueueManager)
        try:
            connection, queue = parse_queue_target(manager, target)
        except (UnknownConnectionError, UnknownQueueError) as exc:
            raise CommandError(str(exc)) from None
        if pause:
            await pause_queue(manager, connection, queue, ttl)
        else:
            await continue_queue(manager, connection, queue)
        return connection, queue

    return run_in_application(work, load_config())


def queue_pause(
    target: TargetArgument,
    ttl: Annotated[
        float | None,
        typer.Option("--ttl", min=1, help="Seconds until the queue continues by itself"),
    ] = None,
) -> None:
    """Pause a queue: every worker stops taking its jobs (they keep arriving and wait)."""
    connection, queue = _change(target, pause=True, ttl=ttl)
    until = f" for {ttl:g} seconds" if ttl is not None else ""
    Output().info(f"Job processing on queue [{connection}:{queue}] has been paused{until}.")


def queue_continue(target: TargetArgument) -> None:
    """Resume a paused queue: workers take its jobs again (within about a second)."""
    connection, queue = _change(target, pause=False, ttl=None)
    Output().info(f"Job processing on queue [{connection}:{queue}] has been resumed.")
