"""Queue: the default connection, each connection's driver and visibility timeout.

The framework's defaults are in :class:`foundry.config.queue.QueueSettings`; every value can be set in the
environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.queue import QueueSettings

__all__ = ["QueueConfig"]


class QueueConfig(QueueSettings):
    """This application's queue settings."""


SETTINGS = QueueConfig
