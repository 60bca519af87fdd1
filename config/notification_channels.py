"""Notification channels over HTTP: timeouts, retries, webhook tolerance and the VAPID keys.

The framework's defaults are in
:class:`foundry.config.notification_channels.NotificationChannelsSettings`; every value can be set
in the environment or ``.env``. Change a default for this application by redeclaring its field
below.
"""

from __future__ import annotations

from foundry.config.notification_channels import NotificationChannelsSettings

__all__ = ["NotificationChannelsConfig"]


class NotificationChannelsConfig(NotificationChannelsSettings):
    """This application's notification channel settings."""


SETTINGS = NotificationChannelsConfig
