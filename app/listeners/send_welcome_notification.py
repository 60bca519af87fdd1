"""``SendWelcomeNotification``: greets each user who registers with ``WelcomeNotification``.

Mapped to ``foundry.auth.events.Registered`` in ``app/providers/event_service_provider.py``, as
Laravel's skeleton maps ``Registered`` to ``SendEmailVerificationNotification``; remove that entry
to send no welcome.
"""

from __future__ import annotations

from app.notifications.welcome_notification import WelcomeNotification
from foundry.auth.events import Registered
from foundry.auth.notifications import notifiable_user
from foundry.notifications import NotificationSender

__all__ = ["SendWelcomeNotification"]


class SendWelcomeNotification:
    """Sends the welcome once the registration has committed (``Registered`` is held until
    then). ``WelcomeNotification`` is queued, so this only pushes its jobs: a slow or failing
    mail server never delays or fails the registration itself."""

    def __init__(self, notifications: NotificationSender) -> None:
        self.notifications = notifications

    async def handle(self, event: Registered) -> None:
        """Welcome ``event.user`` on the channels the notification names."""
        user = event.user
        await self.notifications.send(notifiable_user(user), WelcomeNotification(user.name))
