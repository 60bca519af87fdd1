"""Notifications: the queue they go onto and the classes the framework's flows send.

The framework's defaults are in :class:`foundry.config.notifications.NotificationSettings`; every
value can be set in the environment or ``.env``. To send the password reset link by SMS too,
subclass ``foundry.auth.notifications.ResetPassword`` (its ``via`` returning ``["mail", "sms"]``)
and name it here::

    reset_password_notification: str = "app.notifications.reset_password.ResetPassword"
"""

from __future__ import annotations

from foundry.config.notifications import NotificationSettings

__all__ = ["NotificationConfig"]


class NotificationConfig(NotificationSettings):
    """This application's notification settings."""


SETTINGS = NotificationConfig
