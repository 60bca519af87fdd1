"""``Schedule``: the registry of scheduled events the application declares.

The application declares them in ``routes/console.py``::

    def schedule(schedule: Schedule) -> None:
        schedule.job(PruneJob()).daily_at("03:00")
        schedule.command("queue:prune-failed --hours=48").hourly()
        schedule.call(send_digest).every_five_minutes().without_overlapping()
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from foundry.console.scheduling.cron import resolve_timezone
from foundry.console.scheduling.event import Event
from foundry.console.scheduling.tasks import CallbackEvent, CommandEvent, JobEvent

if TYPE_CHECKING:
    from foundry.jobs.job import Job

__all__ = ["Schedule"]


class Schedule:
    """The events in declaration order; each starts in the schedule's ``timezone``."""

    def __init__(self, timezone: str = "UTC") -> None:
        resolve_timezone(timezone)  # an unknown default timezone fails here, not at the first run
        self.default_timezone = timezone
        self._events: list[Event] = []

    def add(self, event: Event) -> Event:
        """Add an event built elsewhere; returns it."""
        self._events.append(event)
        return event

    def call(self, callback: Callable[..., Any], /, **parameters: Any) -> CallbackEvent:
        """Call ``callback`` (sync or async); ``parameters`` win over the container's values."""
        event = CallbackEvent(callback, self.default_timezone, **parameters)
        self._events.append(event)
        return event

    def command(self, command: str, *arguments: str) -> CommandEvent:
        """Run ``artisan`` ``command`` (``"queue:prune-failed --hours=48"``, shell words)."""
        event = CommandEvent.parse(command, arguments, self.default_timezone)
        self._events.append(event)
        return event

    def job(
        self, job: Job | type[Job], *, queue: str | None = None, connection: str | None = None
    ) -> JobEvent:
        """Queue ``job`` (an instance, or a class the container builds) on its queue."""
        event = JobEvent(job, self.default_timezone, queue=queue, connection=connection)
        self._events.append(event)
        return event

    def events(self) -> list[Event]:
        """Every event, in declaration order."""
        return list(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)

    def due_events(self, minute: datetime) -> list[Event]:
        """The events whose expression (and time windows) fire at ``minute``."""
        return [event for event in self._events if event.is_due(minute)]
