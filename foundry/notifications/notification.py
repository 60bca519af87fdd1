"""The notification base class and what a notifiable must offer its channels.

```python
@dataclass
class InvoicePaid(Notification, ShouldQueue):
    invoice_id: int

    def via(self, notifiable: Any) -> list[str]:
        return ["mail", "database"]

    def to_mail(self, notifiable: Any) -> MailMessage:
        return MailMessage().subject("Invoice paid").line("Thanks!").action("View", url)

    def to_database(self, notifiable: Any) -> dict[str, Any]:
        return {"invoice_id": self.invoice_id}

await user.notify(InvoicePaid(invoice_id=7))
await Notification.send(users, InvoicePaid(invoice_id=7))
await Notification.route("mail", "a@example.com").notify(InvoicePaid(invoice_id=7))
```

A queued notification is stored like a job's fields (its public attributes: plain values,
dates, enums, dataclasses, models), so give it only such attributes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from foundry.notifications.anonymous import AnonymousNotifiable
    from foundry.notifications.fake import NotificationFake

__all__ = ["Notification", "Routable"]


class Notification(ABC):
    """A message to one or more notifiables over the channels :meth:`via` names.

    Subclasses add a ``to_<channel>(notifiable)`` method per channel they use; each channel
    calls its own (``to_mail``, ``to_database``, ``to_sms``, ``to_slack``...).
    """

    #: Hold a queued notification's jobs (or a sent one's mail) until the surrounding
    #: transaction commits, and drop them on rollback.
    after_commit: bool = True

    @abstractmethod
    def via(self, notifiable: Any) -> list[str]:
        """The channel names to deliver to ``notifiable`` on (``["mail", "database"]``)."""

    def should_send(self, notifiable: Any, channel: str) -> bool:
        """Whether to deliver on ``channel`` after all; asked just before sending (so a queued
        notification can see that it became stale)."""
        return True

    def database_type(self) -> str:
        """What the ``database`` channel stores in ``type``: by default the class's path."""
        return f"{type(self).__module__}.{type(self).__qualname__}"

    def fields(self) -> dict[str, Any]:
        """What a queued notification carries to the worker: its public attributes."""
        return {key: value for key, value in vars(self).items() if not key.startswith("_")}

    # -- Laravel's ``Notification`` facade ----------------------------------------------------

    @staticmethod
    async def send(notifiables: Routable | Iterable[Routable], notification: Notification) -> None:
        """Send ``notification`` to each notifiable (queued when it is ``ShouldQueue``)."""
        from foundry.notifications.facade import Notifications

        await Notifications.send(notifiables, notification)

    @staticmethod
    async def send_now(
        notifiables: Routable | Iterable[Routable],
        notification: Notification,
        channels: list[str] | None = None,
    ) -> None:
        """Send ``notification`` in this process, even when it is ``ShouldQueue``."""
        from foundry.notifications.facade import Notifications

        await Notifications.send_now(notifiables, notification, channels)

    @staticmethod
    def route(channel: str, route: object) -> AnonymousNotifiable:
        """An on-demand notifiable: ``Notification.route("mail", "a@x.test").notify(...)``."""
        from foundry.notifications.anonymous import AnonymousNotifiable

        return AnonymousNotifiable().route(channel, route)

    @staticmethod
    def fake() -> NotificationFake:
        """Record notifications instead of sending them, for the rest of the test."""
        from foundry.notifications.facade import Notifications

        return Notifications.fake()


@runtime_checkable
class Routable(Protocol):
    """Anything a notification can be sent to: a model with ``Notifiable``, or an on-demand
    route (``Notification.route("mail", "a@example.com")``)."""

    def route_notification_for(self, channel: str, notification: Notification) -> object | None:
        """Where ``channel`` delivers to this notifiable (an email address, a phone number, a
        webhook URL...), or ``None`` when it has no route for it (the channel then skips it)."""
