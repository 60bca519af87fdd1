"""The notification base class and what a notifiable must offer its channels."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Protocol, runtime_checkable

__all__ = ["Notification", "Routable"]


class Notification(ABC):
    """A message to one or more notifiables over the channels :meth:`via` names.

    Subclasses add a ``to_<channel>(notifiable)`` method per channel they use; each channel
    calls its own (``to_mail``, ``to_database``, ``to_sms``, ``to_slack``...).
    """

    @abstractmethod
    def via(self, notifiable: Any) -> list[str]:
        """The channel names to deliver to ``notifiable`` on (``["mail", "database"]``)."""

    def should_send(self, notifiable: Any, channel: str) -> bool:
        """Whether to deliver on ``channel`` after all; asked just before sending (so a queued
        notification can see that it became stale)."""
        return True


@runtime_checkable
class Routable(Protocol):
    """Anything a notification can be sent to: a model with ``Notifiable``, or an on-demand
    route (``Notification.route("mail", "a@example.com")``)."""

    def route_notification_for(self, channel: str, notification: Notification) -> object | None:
        """Where ``channel`` delivers to this notifiable (an email address, a phone number, a
        webhook URL...), or ``None`` when it has no route for it (the channel then skips it)."""
