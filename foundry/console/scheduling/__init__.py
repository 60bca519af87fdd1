"""Task scheduling (Laravel's ``Schedule``): declare tasks in ``routes/console.py``, run them
every minute with ``artisan schedule:run`` from cron, or ``artisan schedule:work``."""

from __future__ import annotations

from foundry.console.scheduling.cron import CronExpressionError
from foundry.console.scheduling.event import Event, ScheduleError
from foundry.console.scheduling.loading import load_schedule
from foundry.console.scheduling.runner import EventRun, RunStatus, ScheduleRunner
from foundry.console.scheduling.schedule import Schedule
from foundry.console.scheduling.tasks import (
    CallbackEvent,
    CommandEvent,
    CommandFailedError,
    JobEvent,
)
from foundry.console.scheduling.worker import ScheduleWorker

__all__ = [
    "CallbackEvent",
    "CommandEvent",
    "CommandFailedError",
    "CronExpressionError",
    "Event",
    "EventRun",
    "JobEvent",
    "RunStatus",
    "Schedule",
    "ScheduleError",
    "ScheduleRunner",
    "ScheduleWorker",
    "load_schedule",
]
