"""The activity log: the audit listeners, retention and the console's causer."""

from __future__ import annotations

from pydantic import Field

from foundry.config.base import Settings

__all__ = ["ActivityLogSettings"]


class ActivityLogSettings(Settings):
    """``ACTIVITY_*`` variables (spatie/laravel-activitylog's ``config/activitylog.php``)."""

    #: ``activitylog:clean`` deletes entries older than this many days unless told otherwise.
    delete_records_older_than_days: int = Field(
        default=365, gt=0, validation_alias="ACTIVITY_DELETE_RECORDS_OLDER_THAN_DAYS"
    )
    #: Log the framework's own audit trail (``auth``, ``access`` logs) through its listeners.
    audit: bool = Field(default=True, validation_alias="ACTIVITY_AUDIT")
    #: The user artisan commands act as when ``--as`` is not given (an id or an email).
    console_causer: str = Field(default="", validation_alias="ACTIVITY_CAUSER")


SETTINGS = ActivityLogSettings
