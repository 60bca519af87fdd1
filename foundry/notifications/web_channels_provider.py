"""Binds what the ``slack``, ``discord``, ``webhook`` and ``push`` channels are built from;
listed in the framework's providers.

The channel classes themselves (:data:`WEB_CHANNELS`) are built by the container in each scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.config.app import AppSettings
from foundry.config.notification_channels import NotificationChannelsSettings
from foundry.kernel.providers import ServiceProvider
from foundry.notifications.channel import NotificationChannel
from foundry.notifications.channels.discord import DiscordChannel
from foundry.notifications.channels.push import PushChannel
from foundry.notifications.channels.slack import SlackChannel
from foundry.notifications.channels.webhook import WebhookChannel
from foundry.notifications.http_delivery import ChannelHttp
from foundry.notifications.push.sender import WebPushSender
from foundry.notifications.push.subscriptions import PushSubscriptions
from foundry.notifications.push.vapid import VapidKeys
from foundry.notifications.webhooks.deliveries import DeliveryLog

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["WEB_CHANNELS", "WebChannelsServiceProvider"]

#: The channels this provider's services make: registered with the notification channels by
#: class, each built with ``container.make(cls)``.
WEB_CHANNELS: tuple[type[NotificationChannel], ...] = (
    SlackChannel,
    DiscordChannel,
    WebhookChannel,
    PushChannel,
)


def _channel_http(container: Container) -> ChannelHttp:
    # Outside production a user's URL may name this machine (a push service or webhook
    # receiver run locally, as the push subscription endpoint check allows); never elsewhere.
    production = container.make(AppSettings).env == "production"
    return ChannelHttp(container.make(NotificationChannelsSettings), allow_local=not production)


class WebChannelsServiceProvider(ServiceProvider):
    """``ChannelHttp``, the webhook delivery log and the push sender as singletons; the push
    subscriptions per scope (they work in the scope's session)."""

    def register(self, container: Container) -> None:
        container.singleton(ChannelHttp, _channel_http)
        container.singleton(DeliveryLog)
        container.singleton(WebPushSender)
        container.scoped(PushSubscriptions)

    def boot(self, app: Application) -> None:
        # Half a VAPID pair, or two halves that do not match, fails at start-up rather than on
        # the first push (whose subscriptions would all be refused by the push services).
        settings = app.container.make(NotificationChannelsSettings)
        if settings.vapid_public_key or settings.vapid_private_key.get_secret_value():
            VapidKeys.from_settings(settings)
