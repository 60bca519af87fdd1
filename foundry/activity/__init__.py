"""The activity log: who did what to which record (spatie/laravel-activitylog).

::

    class Post(LogsActivity, Model):
        __log_options__ = LogOptions(log_name="posts", log_attributes=["title", "status"],
                                     log_only_changed=True)

    await activity().performed_on(post).event("published").log("Post published")

    async with LogBatch():
        ...

Entries land in ``activity_log`` (:class:`Activity`), in the transaction of the change they
record. The causer is filled in by itself: the request's user, the dispatching user of a queued
job, or artisan's ``--as`` user (:func:`current_causer`).
"""

from foundry.activity.batch import LogBatch
from foundry.activity.causer import (
    CauserCarrier,
    acting_as,
    current_causer,
    reset_causer,
    set_causer,
)
from foundry.activity.logger import PendingActivity, activity
from foundry.activity.logs_activity import (
    LogsActivity,
    activity_logging_enabled,
    without_activity_logging,
)
from foundry.activity.models import ACTIVITY_TABLE, Activity
from foundry.activity.options import DEFAULT_LOG_NAME, LogOptions
from foundry.activity.subjects import ModelRef, morph_of

__all__ = [
    "ACTIVITY_TABLE",
    "DEFAULT_LOG_NAME",
    "Activity",
    "CauserCarrier",
    "LogBatch",
    "LogOptions",
    "LogsActivity",
    "ModelRef",
    "PendingActivity",
    "acting_as",
    "activity",
    "activity_logging_enabled",
    "current_causer",
    "morph_of",
    "reset_causer",
    "set_causer",
    "without_activity_logging",
]
