"""``NotificationSender``: delivers a notification on each channel its ``via`` names, now or
through the queue (Laravel's ``ChannelManager``/``NotificationSender``).

Reached through the ``Notifications`` facade, ``user.notify(...)`` and ``Notification.send``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from foundry.config.notifications import NotificationSettings
from foundry.events import Event
from foundry.jobs.contracts import ShouldQueue
from foundry.kernel.facades import App, Swappable, facade_root
from foundry.notifications.channel import NotificationChannel
from foundry.notifications.events import NotificationFailed, NotificationSending, NotificationSent
from foundry.notifications.notification import Notification, Routable
from foundry.notifications.queued import SendQueuedNotification
from foundry.notifications.registry import ChannelRegistry

if TYPE_CHECKING:
    from foundry.notifications.fake import NotificationFake

__all__ = ["NotificationSender", "as_notifiables"]


def as_notifiables(notifiables: Routable | Iterable[Routable]) -> list[Routable]:
    """One notifiable or many, as a list.

    Raises:
        TypeError: something that is neither (a model without the ``Notifiable`` mixin).
    """
    if isinstance(notifiables, Routable):
        return [notifiables]
    if isinstance(notifiables, Iterable):
        found = list(notifiables)
        if all(isinstance(item, Routable) for item in found):
            return found
    raise TypeError(
        "notifications are sent to notifiables: a model using the Notifiable mixin, "
        "Notification.route(...), or a list of them"
    )


class NotificationSender(Swappable):
    """Sends notifications; an application singleton (channels are built per send, in the
    scope of the request or job sending)."""

    def __init__(self, channels: ChannelRegistry, settings: NotificationSettings) -> None:
        self.channels = channels
        self.settings = settings

    def extend(self, channel: type[NotificationChannel]) -> None:
        """Add (or replace) a channel, under its ``name`` (Laravel's ``Notification::extend``)."""
        self.channels.extend(channel)

    async def send(
        self, notifiables: Routable | Iterable[Routable], notification: Notification
    ) -> None:
        """Send ``notification`` to each notifiable: queued, one job per notifiable and channel,
        when it is ``ShouldQueue``; now otherwise."""
        targets = as_notifiables(notifiables)
        if isinstance(notification, ShouldQueue):
            await self.queue(targets, notification)
        else:
            await self.send_now(targets, notification)

    async def send_now(
        self,
        notifiables: Routable | Iterable[Routable],
        notification: Notification,
        channels: list[str] | None = None,
    ) -> None:
        """Deliver in this process on ``channels`` (default: what ``via`` names).

        Raises:
            UnknownChannelError: a channel name no one registered.
            Exception: what a channel raised (after ``NotificationFailed``).
        """
        for notifiable in as_notifiables(notifiables):
            for channel in channels if channels is not None else notification.via(notifiable):
                await self._deliver(notifiable, notification, channel)

    async def queue(self, notifiables: Iterable[Routable], notification: Notification) -> None:
        """One :class:`SendQueuedNotification` per notifiable and channel, so a failing channel
        is retried alone; on the notification's queue, else ``NOTIFICATIONS_QUEUE``."""
        marker = notification if isinstance(notification, ShouldQueue) else None
        for notifiable in notifiables:
            for channel in notification.via(notifiable):
                self.channels.channel_class(channel)  # an unknown name fails the caller now
                pending = SendQueuedNotification(notifiable, notification, channel).pending()
                pending.on_queue((marker.queue if marker else None) or self.settings.queue)
                connection = (marker.connection if marker else None) or self.settings.connection
                if connection:
                    pending.on_connection(connection)
                if marker is not None and marker.delay:
                    pending.delay_until(marker.delay)
                if notification.after_commit:
                    pending.after_commit()
                else:
                    pending.before_commit()
                await pending.dispatch()

    async def _deliver(
        self, notifiable: Routable, notification: Notification, channel: str
    ) -> None:
        if not notification.should_send(notifiable, channel):
            return
        driver = self.channels.make(channel, facade_root(App))
        # Laravel's rule: a listener answering False cancels this channel's delivery.
        if await Event.until(NotificationSending(notifiable, notification, channel)) is False:
            return
        try:
            response = await driver.send(notifiable, notification)
        except Exception as exc:
            await Event.dispatch(
                NotificationFailed(notifiable, notification, channel, exc), after_commit=False
            )
            raise
        await Event.dispatch(NotificationSent(notifiable, notification, channel, response))

    def fake(self) -> NotificationFake:
        """Swap in a :class:`NotificationFake` that records instead of sending; returns it."""
        fake: NotificationFake = self.fake_class()(self.channels, self.settings)
        self.swap(fake)
        return fake
