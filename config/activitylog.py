"""The activity log: the default log name, how long entries are kept, the console's causer.

The framework's defaults are in :class:`foundry.config.activitylog.ActivityLogSettings`; every
value can be set in the environment or ``.env``. Change a default for this application by
redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.activitylog import ActivityLogSettings

__all__ = ["ActivityLogConfig"]


class ActivityLogConfig(ActivityLogSettings):
    """This application's activity log settings."""


SETTINGS = ActivityLogConfig
