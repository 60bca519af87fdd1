"""``schedule:run``, ``schedule:work``, ``schedule:list`` and ``schedule:test``: the scheduler.

Cron calls ``artisan schedule:run`` every minute; it runs the tasks that ``routes/console.py``
schedules for that minute. ``schedule:work`` does the same in the foreground (development,
``make dev``), starting a ``schedule:run`` process at the start of every minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer

from foundry.config.app import AppSettings
from foundry.config.base import BASE_PATH
from foundry.config.schedule import ScheduleSettings
from foundry.console.context import CommandError, verbosity_of
from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.config import ConfigRepository
from foundry.kernel.container import Container
from foundry.kernel.signals import stop_listening_for_signals

if TYPE_CHECKING:
    from foundry.console.scheduling import Event, EventRun, Schedule, ScheduleRunner

__all__ = [
    "schedule_clear_cache",
    "schedule_list",
    "schedule_run",
    "schedule_test",
    "schedule_work",
]

_STATUS = {"ran": "DONE", "failed": "FAIL"}


def _runner(
    config: ConfigRepository, schedule: Schedule, application: Application
) -> ScheduleRunner:
    from foundry.cache.manager import CacheManager
    from foundry.console.scheduling import ScheduleRunner

    down_file = config.settings(AppSettings).maintenance_file
    store = config.settings(ScheduleSettings).cache_store or None
    locks = application.container.make(CacheManager).store(store)
    return ScheduleRunner(schedule, application.container, locks, in_maintenance=down_file.exists)


def _run_events(
    config: ConfigRepository, schedule: Schedule, minute: datetime, only: Event | None = None
) -> list[EventRun]:
    async def work(application: Application, scope: Container) -> list[EventRun]:
        runner = _runner(config, schedule, application)
        if only is not None:
            return [await runner.run_event(only, minute)]
        return await runner.run(minute)

    return run_in_application(work, config)


def _report(
    results: list[EventRun],
    minute: datetime,
    zone: ZoneInfo,
    *,
    verbose: bool,
    silent_when_idle: bool = False,
) -> bool:
    """Print one line per event (times in ``zone``); whether every event that ran succeeded."""
    from foundry.console.scheduling import RunStatus

    output = Output()
    shown = [run for run in results if verbose or run.status is not RunStatus.FILTERED]
    if not shown:
        # Only a person at a terminal wants to hear it: cron would mail it every minute.
        if output.terminal and not silent_when_idle:
            output.info("No scheduled commands are ready to run.")
        return True
    stamp = minute.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    for run in shown:
        label = f"{stamp} Running [{run.event.display_name}]"
        if run.status in (RunStatus.RAN, RunStatus.FAILED):
            output.task(label, _STATUS[run.status], f"{run.milliseconds:.0f}ms")
        else:
            output.task(label, "SKIPPED", run.status.value)
        if run.error is not None:
            output.error(f"[{run.event.display_name}] {type(run.error).__name__}: {run.error}")
        if run.output.strip() and (verbose or run.status is RunStatus.FAILED):
            for line in run.output.rstrip().splitlines():
                output.line(f"    {line}")
    return all(run.status is not RunStatus.FAILED for run in results)


def schedule_run(
    ctx: typer.Context,
    silent_when_idle: Annotated[
        bool,
        # schedule:work's runs: one "nothing to run" line a minute would bury what did run.
        typer.Option("--silent-when-idle", hidden=True),
    ] = False,
) -> None:
    """Run the scheduled tasks that are due now (cron: every minute); exit 1 if one failed."""
    from foundry.console.scheduling import load_schedule
    from foundry.console.scheduling.cron import floor_minute, resolve_timezone
    from foundry.console.scheduling.loading import schedule_timezone
    from foundry.console.scheduling.runner import utc_now

    # The minute this command started: a slow task does not move the others out of it.
    minute = floor_minute(utc_now())
    config = load_config()
    schedule = load_schedule(config)
    # Booting the application costs more than a run with nothing due: only boot if needed.
    results = _run_events(config, schedule, minute) if schedule.due_events(minute) else []
    zone = resolve_timezone(schedule_timezone(config))
    verbose = verbosity_of(ctx) > 0
    if not _report(results, minute, zone, verbose=verbose, silent_when_idle=silent_when_idle):
        raise typer.Exit(1)


def schedule_work() -> None:
    """Run the scheduler in the foreground: a schedule:run at the start of every minute."""
    from foundry.console.scheduling import ScheduleWorker

    output = Output()
    running: set[asyncio.subprocess.Process] = set()

    async def run_minute(minute: datetime) -> None:
        # A session of its own: Ctrl-C in the terminal stops this worker, which then ends the
        # run it started, instead of every run printing its own interrupted traceback.
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "foundry.console",
            "schedule:run",
            "--silent-when-idle",
            cwd=BASE_PATH,
            stdin=asyncio.subprocess.DEVNULL,
            start_new_session=True,
        )
        running.add(process)
        try:
            await process.wait()
        finally:
            running.discard(process)

    async def main() -> None:
        worker = ScheduleWorker(run_minute)

        def stop() -> None:
            worker.stop()
            for process in running:
                # The run leads its own process group: end it with the commands it started.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop)
        try:
            await worker.work()
        finally:
            stop_listening_for_signals()

    output.info("Running scheduled tasks every minute. Press Ctrl+C to stop.")
    asyncio.run(main())


def _timezone_option(name: str | None) -> ZoneInfo | None:
    from foundry.console.scheduling.cron import CronExpressionError, resolve_timezone

    if name is None:
        return None
    try:
        return resolve_timezone(name)
    except CronExpressionError as exc:
        raise CommandError(str(exc)) from None


def schedule_list(
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", help="Show next due times in this timezone (e.g. UTC)"),
    ] = None,
) -> None:
    """List the scheduled tasks: expression, next due time and description."""
    from foundry.console.scheduling import load_schedule
    from foundry.console.scheduling.listing import list_events
    from foundry.console.scheduling.runner import utc_now

    zone = _timezone_option(timezone)
    schedule = load_schedule(load_config())
    output = Output()
    if not len(schedule):
        output.info("No scheduled tasks have been defined.")
        return
    rows = list_events(schedule, utc_now(), zone)
    output.table(["Expression", "Next due", "Task", "Options"], [row.cells() for row in rows])


def schedule_test(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Option("--name", help="Run the task whose name or description contains this"),
    ] = None,
) -> None:
    """Run one scheduled task now, whether it is due or not (its conditions and locks apply)."""
    from foundry.console.scheduling import load_schedule
    from foundry.console.scheduling.cron import floor_minute, resolve_timezone
    from foundry.console.scheduling.loading import schedule_timezone
    from foundry.console.scheduling.runner import utc_now

    config = load_config()
    schedule = load_schedule(config)
    events = schedule.events()
    if name is not None:
        events = [event for event in events if name.lower() in event.display_name.lower()]
    if not events:
        raise CommandError(
            "No scheduled task matches." if name else "No scheduled tasks have been defined."
        )
    if len(events) > 1:
        names = "; ".join(event.display_name for event in events)
        raise CommandError(f"{len(events)} tasks match, pass a --name that picks one: {names}")
    minute = floor_minute(utc_now())
    results = _run_events(config, schedule, minute, only=events[0])
    if not _report(results, minute, resolve_timezone(schedule_timezone(config)), verbose=True):
        raise typer.Exit(1)


def schedule_clear_cache() -> None:
    """Release the without_overlapping locks (after a run died holding one)."""
    from foundry.console.scheduling import load_schedule

    config = load_config()
    schedule = load_schedule(config)

    async def work(application: Application, scope: Container) -> list[Event]:
        return await _runner(config, schedule, application).clear_overlap_locks()

    cleared = run_in_application(work, config) if len(schedule) else []
    output = Output()
    if not cleared:
        output.info("No held overlap locks were found.")
    for event in cleared:
        output.task(f"Released the overlap lock of [{event.display_name}]")
