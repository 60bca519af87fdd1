"""``WelcomeNotification``: greets a new user in their inbox and by mail.

Send it when someone registers, from a listener mapped to ``foundry.auth.events.Registered``::

    class SendWelcomeNotification(ShouldQueue):
        async def handle(self, event: Registered) -> None:
            await event.user.notify(WelcomeNotification(event.user.name))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundry.notifications import MailMessage, Notification

__all__ = ["WelcomeNotification"]


@dataclass
class WelcomeNotification(Notification):
    """Database and mail; add ``"sms"`` or ``"slack"`` to :meth:`via` for more channels."""

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
