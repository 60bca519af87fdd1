"""The base of the channels that post a message as JSON to a webhook URL (Slack, Discord).

A notifiable's own route is a URL a user may have typed (a team's Slack webhook saved from a
settings page): it is posted to public addresses only. The default route comes from the
operator's configuration (``SLACK_WEBHOOK_URL``...) and may point anywhere.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Protocol

from foundry.config.services import ServicesSettings
from foundry.notifications.channel import NotificationChannel
from foundry.notifications.channels.routes import build_message, url_route
from foundry.notifications.http_delivery import ChannelHttp
from foundry.notifications.notification import Notification, Routable

__all__ = ["JsonMessage", "JsonWebhookChannel"]


class JsonMessage(Protocol):
    """A message a webhook channel posts: its body as a JSON object."""

    def to_dict(self) -> dict[str, Any]:
        """The request body."""


class JsonWebhookChannel(NotificationChannel):
    """Posts ``notification.<message_method>(notifiable)`` (a :attr:`message_class`) as JSON to
    the notifiable's route for the channel, else to :meth:`default_url`."""

    #: The notification's method building the message (``"to_slack"``).
    message_method: ClassVar[str]
    #: What that method must return.
    message_class: ClassVar[type[JsonMessage]]

    def __init__(self, http: ChannelHttp, services: ServicesSettings) -> None:
        self._http = http
        self._default = self.default_url(services)

    @classmethod
    def default_url(cls, services: ServicesSettings) -> object | None:
        """The webhook used when the notifiable has no route (none by default)."""
        return None

    def route(self, notifiable: Routable, notification: Notification) -> object | None:
        """The notifiable's route for this channel, else :meth:`default_url` (``None``: skip)."""
        return super().route(notifiable, notification) or self._default

    async def send(self, notifiable: Routable, notification: Notification) -> None:
        """Post the message; raises :class:`~foundry.notifications.http_delivery.DeliveryError`
        (:class:`~foundry.notifications.http_delivery.DestinationNotPublic` when the
        notifiable's own URL leads to an address that is not public)."""
        route = self.route(notifiable, notification)
        url = url_route(route, self.name)
        if url is None:
            return
        message = build_message(notification, self.message_method, notifiable, self.message_class)
        body = json.dumps(message.to_dict()).encode()
        await self._http.post(
            self.name,
            url,
            content=body,
            headers={"Content-Type": "application/json"},
            public_only=route is not self._default,
        )
