"""Binds the notification sender and its channels; listed in the framework's providers.

The channels are registered here, one ``extend`` line each; an application adds its own the
same way in a provider's ``boot`` (``Notifications.extend(TelegramChannel)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.kernel.providers import ServiceProvider
from foundry.notifications.channels.broadcast import BroadcastChannel
from foundry.notifications.channels.database import DatabaseChannel
from foundry.notifications.channels.discord import DiscordChannel
from foundry.notifications.channels.mail import MailChannel
from foundry.notifications.channels.push import PushChannel
from foundry.notifications.channels.slack import SlackChannel
from foundry.notifications.channels.sms import SmsChannel
from foundry.notifications.channels.webhook import WebhookChannel
from foundry.notifications.queued import NotificationDelivery
from foundry.notifications.registry import ChannelRegistry
from foundry.notifications.sender import NotificationSender

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["NotificationServiceProvider"]


def _delivery(container: Container) -> NotificationDelivery:
    return container.make(NotificationSender)


class NotificationServiceProvider(ServiceProvider):
    """Registers :class:`ChannelRegistry` (with the framework's channels) and
    :class:`NotificationSender` as singletons."""

    def register(self, container: Container) -> None:
        channels = ChannelRegistry()
        channels.extend(DatabaseChannel)
        channels.extend(MailChannel)
        channels.extend(SmsChannel)
        channels.extend(SlackChannel)
        channels.extend(DiscordChannel)
        channels.extend(WebhookChannel)
        channels.extend(PushChannel)
        channels.extend(BroadcastChannel)
        container.instance(ChannelRegistry, channels)
        container.singleton(NotificationSender)
        # Resolved each time, so queued notifications go through a swapped-in fake.
        container.bind(NotificationDelivery, _delivery)

    def boot(self, app: Application) -> None:
        """Nothing to wire: channels are built per send."""
