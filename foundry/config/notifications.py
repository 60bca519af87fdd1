"""Notification settings: where queued notifications go, and which classes the framework's own
flows (email verification, password reset) send."""

from __future__ import annotations

from pydantic import Field

from foundry.config.base import Settings

__all__ = ["NotificationSettings", "SETTINGS"]


class NotificationSettings(Settings):
    """``NOTIFICATIONS_*`` variables.

    The ``*_notification`` fields name a class by its dotted path, so an application can send
    its own subclass (one whose ``via`` adds ``"sms"`` or ``"database"``) without touching the
    framework.
    """

    #: The queue a ``ShouldQueue`` notification goes onto when it names none itself.
    queue: str = Field(
        default="notifications", min_length=1, validation_alias="NOTIFICATIONS_QUEUE"
    )
    #: The queue connection (``None``: ``QUEUE_CONNECTION``).
    connection: str | None = Field(default=None, validation_alias="NOTIFICATIONS_CONNECTION")
    #: The email verification link (``EmailVerificationService.send``).
    verify_email_notification: str = Field(
        default="foundry.auth.notifications.VerifyEmail",
        validation_alias="NOTIFICATIONS_VERIFY_EMAIL",
    )
    #: The password reset link (the forgot-password flow).
    reset_password_notification: str = Field(
        default="foundry.auth.notifications.ResetPassword",
        validation_alias="NOTIFICATIONS_RESET_PASSWORD",
    )


SETTINGS = NotificationSettings
