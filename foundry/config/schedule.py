"""Task scheduler settings: where the schedule is declared, its timezone, its cache store."""

from __future__ import annotations

from pydantic import Field

from foundry.config.base import Settings

__all__ = ["ScheduleSettings"]


class ScheduleSettings(Settings):
    """``SCHEDULE_*`` variables."""

    #: The module whose ``schedule(schedule)`` function declares the scheduled tasks.
    module: str = Field(default="routes.console", min_length=1, validation_alias="SCHEDULE_MODULE")
    #: The timezone of events that name none (empty: ``APP_TIMEZONE``), Laravel's
    #: ``schedule_timezone``.
    timezone: str = Field(default="", validation_alias="SCHEDULE_TIMEZONE")
    #: The cache store holding the overlap and one-server locks (empty: ``CACHE_STORE``). With
    #: several servers it must be one they share (``redis``, or a database store).
    cache_store: str = Field(default="", validation_alias="SCHEDULE_CACHE_STORE")


SETTINGS = ScheduleSettings
