"""``queue:work`` and ``queue:restart``."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

import typer

from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container, set_root_container
from foundry.kernel.signals import stop_listening_for_signals

__all__ = [
    "BackoffOption",
    "ConnectionArgument",
    "QueueOption",
    "SleepOption",
    "TimeoutOption",
    "TriesOption",
    "parse_backoff",
    "queue_restart",
    "queue_work",
]


#: The options ``queue:work`` and ``queue:listen`` share (the latter hands them to the former).
ConnectionArgument = Annotated[
    str | None, typer.Argument(help="The connection to work (default: QUEUE_CONNECTION)")
]
QueueOption = Annotated[
    str | None, typer.Option("--queue", help="Queues to work, in priority order: high,default")
]
TriesOption = Annotated[int, typer.Option("--tries", min=1, help="Attempts for jobs that set none")]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", min=0.1, help="Seconds a job may run (< retry_after)")
]
SleepOption = Annotated[
    float, typer.Option("--sleep", min=0, help="Seconds to sleep when no job is ready")
]
BackoffOption = Annotated[
    str, typer.Option("--backoff", help="Seconds before a retry: 10 or 10,60,300")
]


def parse_backoff(text: str) -> list[float]:
    """``"10"`` or ``"10,60,300"`` as seconds; a clear error otherwise."""
    try:
        steps = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise CommandError(f"--backoff must be seconds or a comma list of seconds, not {text!r}")
    if not steps or any(step < 0 for step in steps):
        raise CommandError("--backoff must be seconds (0 or more)")
    return steps


def queue_work(
    connection: ConnectionArgument = None,
    queue: QueueOption = None,
    tries: TriesOption = 1,
    timeout: TimeoutOption = 60.0,
    sleep: SleepOption = 3.0,
    backoff: BackoffOption = "0",
    memory: Annotated[int, typer.Option("--memory", min=0, help="Exit above this many MB")] = 256,
    max_jobs: Annotated[int, typer.Option("--max-jobs", min=0, help="Exit after N jobs")] = 0,
    max_time: Annotated[
        float, typer.Option("--max-time", min=0, help="Exit after N seconds")
    ] = 0.0,
    stop_when_empty: Annotated[
        bool, typer.Option("--stop-when-empty", help="Exit once the queues are empty")
    ] = False,
    once: Annotated[bool, typer.Option("--once", help="Run one job and exit")] = False,
    name: Annotated[str, typer.Option("--name", help="The worker's name")] = "default",
) -> None:
    """Start processing jobs on the queue as a daemon."""
    from foundry.jobs.errors import JobConfigurationError
    from foundry.queue.errors import UnknownConnectionError, UnknownQueueError
    from foundry.queue.manager import QueueManager
    from foundry.queue.worker import Worker, WorkerOptions

    options = WorkerOptions(
        queues=[q.strip() for q in (queue or "").split(",") if q.strip()],
        name=name,
        tries=tries,
        timeout=timeout,
        sleep=sleep,
        backoff=parse_backoff(backoff),
        memory=memory,
        max_jobs=max_jobs,
        max_time=max_time,
        stop_when_empty=stop_when_empty,
        once=once,
    )
    from foundry.config.logging import LoggingSettings
    from foundry.kernel.gc_tuning import tune_after_boot
    from foundry.kernel.logging import configure_logging

    application = Application(config=load_config()).bootstrap()
    # Job lines, failures and what jobs log (the log mailer's messages) go where the server's do.
    configure_logging(application.config.settings(LoggingSettings))
    manager = application.container.make(QueueManager)
    settings = application.settings
    tune_after_boot(freeze=settings.gc_freeze, threshold=settings.gc_threshold)
    try:
        driver_name = manager.connection_config(connection).driver
        if driver_name == "redis":
            from foundry.queue.rq_worker import run_rq_worker

            code = run_rq_worker(application, connection, options)
        else:

            async def work() -> int:
                try:
                    return await Worker(manager, connection, options).run()
                finally:
                    stop_listening_for_signals()
                    await application.shutdown()

            code = asyncio.run(work())
    except (JobConfigurationError, UnknownConnectionError, UnknownQueueError, TypeError) as exc:
        asyncio.run(application.shutdown())
        raise CommandError(str(exc)) from None
    finally:
        set_root_container(None)
    if code:
        raise typer.Exit(code)


def queue_restart() -> None:
    """Restart queue worker daemons after their current job."""
    from foundry.queue.manager import QueueManager
    from foundry.queue.worker import RESTART_KEY

    async def signal(application: Application, scope: Container) -> None:
        manager = application.container.make(QueueManager)
        await manager.cache().store().forever(RESTART_KEY, time.time())

    run_in_application(signal, load_config())
    Output().info("Broadcasting queue restart signal.")
