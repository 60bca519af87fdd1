"""Where the application's schedule comes from: ``schedule(schedule)`` in ``routes/console.py``.

A function rather than declarations at import time, because ``artisan list`` imports
``routes/console.py`` for its ``COMMANDS``: the jobs and services a schedule names are imported
only when a scheduler command calls the function.
"""

from __future__ import annotations

import importlib

from foundry.config.app import AppSettings
from foundry.config.schedule import ScheduleSettings
from foundry.console.scheduling.schedule import Schedule
from foundry.kernel.config import ConfigRepository

__all__ = ["SCHEDULE_FUNCTION", "load_schedule", "schedule_timezone"]

#: The function of the schedule module that declares the events.
SCHEDULE_FUNCTION = "schedule"


def schedule_timezone(config: ConfigRepository) -> str:
    """``SCHEDULE_TIMEZONE``, else ``APP_TIMEZONE``."""
    return config.settings(ScheduleSettings).timezone or config.settings(AppSettings).timezone


def load_schedule(config: ConfigRepository) -> Schedule:
    """A schedule filled by the schedule module's ``schedule(schedule)`` (empty without one)."""
    schedule = Schedule(timezone=schedule_timezone(config))
    module_name = config.settings(ScheduleSettings).module
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            return schedule  # an application without console routes schedules nothing
        raise
    declare = getattr(module, SCHEDULE_FUNCTION, None)
    if declare is None:
        return schedule
    if not callable(declare):
        raise TypeError(f"{module_name}.{SCHEDULE_FUNCTION} must be a function(schedule)")
    declare(schedule)
    return schedule
