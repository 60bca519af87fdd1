"""``WelcomeNotification``: greets a new user in their inbox and by mail.

``app/listeners/send_welcome_notification.py`` sends it when someone registers (the
``Registered`` entry of ``app/providers/event_service_provider.py``). It is queued: each channel
is a job of its own on the ``notifications`` queue (``make dev`` works it; in production run
``make queue-work-notifications``), so a mail server that is down is retried without storing the
inbox entry twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundry.jobs.contracts import ShouldQueue
from foundry.notifications import MailMessage, Notification

__all__ = ["WelcomeNotification"]


@dataclass
class WelcomeNotification(Notification, ShouldQueue):
    """Database and mail, from a queue worker; add ``"sms"`` or ``"slack"`` to :meth:`via` for
    more channels."""

    user_name: str

    def via(self, notifiable: Any) -> list[str]:
        """The channels it goes out on."""
        return ["database", "mail"]

    def to_database(self, notifiable: Any) -> dict[str, Any]:
        """What ``GET /api/v1/notifications`` shows under ``data``."""
        return {"message": f"Welcome {self.user_name}!"}

    def to_mail(self, notifiable: Any) -> MailMessage:
        """The welcome email."""
        return (
            MailMessage()
            .subject("Welcome!")
            .greeting(f"Welcome {self.user_name}!")
            .line("Your account is ready.")
        )
