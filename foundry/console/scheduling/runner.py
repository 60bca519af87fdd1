"""Running the events due in one minute: ``schedule:run`` (and each tick of ``schedule:work``).

Every event due in the minute the run started is run, one after the other, even if an earlier
one is slow (Laravel's rule: a slow event does not shift the others out of their minute) or fails
(the failure is reported and the run goes on). Locks live in a cache store, so every process and
server that shares it agrees on who runs what.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from foundry.cache.lock import Lock
from foundry.cache.repository import Repository
from foundry.console.scheduling.cron import floor_minute
from foundry.console.scheduling.event import Event, Hook, call_in
from foundry.console.scheduling.schedule import Schedule
from foundry.console.scheduling.tasks import CommandFailedError
from foundry.kernel.container import Container

__all__ = ["EventRun", "RunStatus", "ScheduleRunner", "utc_now"]

#: Failures go to the log as well as to the command's output: cron usually discards the latter.
logger = logging.getLogger("foundry.schedule")

#: How long an on-one-server claim on a minute is kept (Laravel keeps it an hour).
ONE_SERVER_SECONDS = 3600


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


class RunStatus(StrEnum):
    """What became of a due event."""

    RAN = "ran"
    FAILED = "failed"
    #: ``when``/``skip`` said no, or maintenance mode.
    FILTERED = "filtered"
    #: ``without_overlapping``: the previous run still holds the lock.
    OVERLAPPING = "overlapping"
    #: ``on_one_server``: another server claimed this minute.
    OTHER_SERVER = "other server"


@dataclass(frozen=True, slots=True)
class EventRun:
    """The outcome of one due event in one run."""

    event: Event
    status: RunStatus
    output: str = ""
    error: BaseException | None = None
    #: Wall-clock milliseconds the task took (0 when it did not run).
    milliseconds: float = 0.0


class ScheduleRunner:
    """Runs a :class:`Schedule`'s due events with the application's container and a lock store."""

    def __init__(
        self,
        schedule: Schedule,
        container: Container,
        locks: Repository,
        *,
        clock: Callable[[], datetime] = utc_now,
        in_maintenance: Callable[[], bool] = lambda: False,
    ) -> None:
        """Create a runner.

        Args:
            schedule: the events.
            container: the application's container; each event runs in a scope of its own.
            locks: the cache store whose atomic locks implement ``without_overlapping`` and
                ``on_one_server`` (shared by every server for the latter).
            clock: the current time (aware); tests freeze it.
            in_maintenance: whether the application is down (``artisan down``).
        """
        self.schedule = schedule
        self.container = container.root
        self.locks = locks
        self.clock = clock
        self.in_maintenance = in_maintenance

    async def run(self, minute: datetime | None = None) -> list[EventRun]:
        """Run every event due at ``minute`` (default: now); one :class:`EventRun` for each."""
        current = floor_minute(minute if minute is not None else self.clock())
        down = self.in_maintenance()
        results = []
        for event in self.schedule.due_events(current):
            if down and not event.in_maintenance_mode:
                results.append(EventRun(event, RunStatus.FILTERED))
                continue
            try:
                result = await self.run_event(event, current)
            except Exception as exc:  # closing its scope failed: still only this event's failure
                result = EventRun(event, RunStatus.FAILED, error=exc)
            if result.error is not None:
                # A command's traceback is its own process's; here it would only show our wait.
                trace = not isinstance(result.error, CommandFailedError)
                logger.error(
                    "scheduled task [%s] failed: %r",
                    event.display_name,
                    result.error,
                    exc_info=result.error if trace else None,
                )
            results.append(result)
        return results

    async def run_event(self, event: Event, minute: datetime) -> EventRun:
        """Run ``event`` for ``minute`` if its conditions and locks allow, due or not."""
        async with self.container.scope() as scope:
            try:
                if not await event.filters_pass(scope):
                    return EventRun(event, RunStatus.FILTERED)
                if event.one_server and not await self._claim_minute(event, minute):
                    return EventRun(event, RunStatus.OTHER_SERVER)
                free, lock = await self._overlap_lock(event)
            except Exception as exc:  # a failing condition fails this event only
                return EventRun(event, RunStatus.FAILED, error=exc)
            if not free:
                return EventRun(event, RunStatus.OVERLAPPING)
            try:
                return await self._execute(event, scope)
            finally:
                if lock is not None:
                    await lock.release()

    async def clear_overlap_locks(self) -> list[Event]:
        """Release every ``without_overlapping`` lock, whoever holds it (``schedule:clear-cache``).

        For a run that died holding one; returns the events whose lock was held.
        """
        cleared = []
        for event in self.schedule:
            if event.overlap_minutes is None:
                continue
            lock = self.locks.lock(event.mutex_name(), event.overlap_minutes * 60)
            if await lock.current_owner() is not None:
                await lock.force_release()
                cleared.append(event)
        return cleared

    async def _claim_minute(self, event: Event, minute: datetime) -> bool:
        # Never released: the claim is what tells the other servers this minute is taken.
        name = f"{event.mutex_name()}-{minute:%Y%m%d%H%M}"
        return await self.locks.lock(name, ONE_SERVER_SECONDS).acquire()

    async def _overlap_lock(self, event: Event) -> tuple[bool, Lock | None]:
        """Whether the event may run, and the overlap lock it now holds (if it wants one)."""
        if event.overlap_minutes is None:
            return True, None
        lock = self.locks.lock(event.mutex_name(), event.overlap_minutes * 60)
        return (True, lock) if await lock.acquire() else (False, None)

    async def _execute(self, event: Event, scope: Container) -> EventRun:
        started = time.perf_counter()
        try:
            for hook in event.before_hooks:
                await call_in(scope, hook)
            output = await event.execute(scope)
        except Exception as exc:
            elapsed = (time.perf_counter() - started) * 1000
            await self._after(event, scope, event.failure_hooks)  # the task's error is the news
            return EventRun(event, RunStatus.FAILED, getattr(exc, "output", ""), exc, elapsed)
        elapsed = (time.perf_counter() - started) * 1000
        failure = await self._after(event, scope, event.success_hooks)
        if failure is not None:
            return EventRun(event, RunStatus.FAILED, output, failure, elapsed)
        return EventRun(event, RunStatus.RAN, output, None, elapsed)

    async def _after(
        self, event: Event, scope: Container, outcome_hooks: list[Hook]
    ) -> Exception | None:
        """Run the outcome hooks, then the ``after`` hooks; the first error, if any."""
        first: Exception | None = None
        for hook in [*outcome_hooks, *event.after_hooks]:
            try:
                await call_in(scope, hook)
            except Exception as exc:  # every hook runs even if one fails
                first = first or exc
        return first
