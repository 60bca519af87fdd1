"""The contract every notification channel implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from foundry.notifications.notification import Notification, Routable

__all__ = ["NotificationChannel"]


class NotificationChannel(ABC):
    """Delivers notifications over one medium (mail, SMS, Slack, a webhook...).

    Channels are registered by name and built by the container in the current scope, so their
    constructors receive services (an HTTP client, settings, the scope's database session).
    """

    #: The name notifications use in ``via`` (``"slack"``); also the route asked of notifiables.
    name: ClassVar[str]

    def route(self, notifiable: Routable, notification: Notification) -> object | None:
        """Where this channel delivers to ``notifiable`` (``None``: skip it)."""
        return notifiable.route_notification_for(self.name, notification)

    @abstractmethod
    async def send(self, notifiable: Routable, notification: Notification) -> object:
        """Deliver ``notification`` to ``notifiable``; raise when delivery failed (a queued
        notification is then retried on this channel alone).

        Returns:
            Anything worth telling ``NotificationSent`` listeners (the stored row, the sent
            message, the HTTP response), or ``None``.
        """
