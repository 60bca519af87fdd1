"""The rows of ``schedule:list``: expression, next due time, and what each event does."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from foundry.console.scheduling.event import Event
from foundry.console.scheduling.schedule import Schedule

__all__ = ["ListedEvent", "list_events"]


@dataclass(frozen=True, slots=True)
class ListedEvent:
    """One line of ``schedule:list``."""

    expression: str
    #: ``2026-12-07 03:00:00+01:00 (Europe/Paris, in 5h 12m)``.
    next_due: str
    description: str
    flags: str

    def cells(self) -> list[str]:
        """The table cells, in column order."""
        return [self.expression, self.next_due, self.description, self.flags]


def _until(delta: timedelta) -> str:
    minutes = max(1, math.ceil(delta.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days}d"] if days else []
    parts += [f"{hours}h"] if hours else []
    parts += [f"{minutes}m"] if minutes or not parts else []
    return " ".join(parts)


def _flags(event: Event) -> str:
    flags = []
    if event.overlap_minutes is not None:
        flags.append("without overlapping")
    if event.one_server:
        flags.append("one server")
    if event.in_maintenance_mode:
        flags.append("in maintenance")
    return ", ".join(flags)


def list_events(
    schedule: Schedule, now: datetime, timezone: ZoneInfo | None = None
) -> list[ListedEvent]:
    """One row per event: its next due time after ``now``, in its timezone (or ``timezone``)."""
    rows = []
    for event in schedule:
        zone = timezone or event.zone
        due = event.next_run(now).astimezone(zone)
        shown = f"{due.isoformat(sep=' ')} ({zone.key}, in {_until(due - now)})"
        rows.append(ListedEvent(event.expression, shown, event.display_name, _flags(event)))
    return rows
