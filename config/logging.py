"""Logging: level and line format.

The framework's defaults are in :class:`foundry.config.logging.LoggingSettings`; every value can be set in the
environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.logging import LoggingSettings

__all__ = ["LoggingConfig"]


class LoggingConfig(LoggingSettings):
    """This application's logging settings."""


SETTINGS = LoggingConfig
