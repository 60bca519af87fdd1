"""The ``webhook`` channel: a signed JSON POST to the notifiable's own endpoint.

A notification builds a :class:`~foundry.notifications.webhooks.WebhookMessage` in
``to_webhook(notifiable)``; the notifiable's ``webhook`` route is a
:class:`~foundry.notifications.webhooks.WebhookRoute` (URL and secret; ``WEBHOOK_URL`` and
``WEBHOOK_SECRET`` when it names none). Each request carries:

- ``X-Foundry-Event``: the event name;
- ``X-Foundry-Delivery``: a UUID, the same on every retry of one delivery;
- ``X-Foundry-Signature``: ``t=<unix seconds>,v1=<HMAC-SHA256 hex of f"{t}.{body}">``.

Every attempt is recorded in ``webhook_deliveries``; network errors, 5xx and 429 answers are
retried with backoff, another 4xx fails at once. A route's URL is posted to public addresses
only unless the route is ``trusted`` (see :class:`~foundry.notifications.webhooks.WebhookRoute`).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from foundry.config.services import ServicesSettings
from foundry.notifications.channel import NotificationChannel
from foundry.notifications.channels.routes import build_message
from foundry.notifications.http_delivery import Attempt, ChannelHttp
from foundry.notifications.notification import Notification, Routable
from foundry.notifications.webhooks.deliveries import DeliveryLog
from foundry.notifications.webhooks.message import WebhookMessage, WebhookRoute
from foundry.notifications.webhooks.signature import SIGNATURE_HEADER, sign_webhook

__all__ = ["WebhookChannel"]


class WebhookChannel(NotificationChannel):
    """Posts ``to_webhook(notifiable)`` signed with the route's secret."""

    name: ClassVar[str] = "webhook"

    def __init__(self, http: ChannelHttp, log: DeliveryLog, services: ServicesSettings) -> None:
        self._http = http
        self._log = log
        self._services = services

    def route(self, notifiable: Routable, notification: Notification) -> object | None:
        """The notifiable's ``webhook`` route, else ``WEBHOOK_URL``/``WEBHOOK_SECRET``."""
        found = super().route(notifiable, notification)
        services = self._services
        if found is None and services.webhook_url and services.webhook_secret is not None:
            # The operator's own receiver: it may live on the private network.
            return WebhookRoute(
                services.webhook_url, services.webhook_secret.get_secret_value(), trusted=True
            )
        return found

    async def send(self, notifiable: Routable, notification: Notification) -> None:
        """Deliver the webhook; raises
        :class:`~foundry.notifications.http_delivery.DeliveryError` once the retries are spent
        (every attempt is in ``webhook_deliveries`` by then)."""
        route = self.route(notifiable, notification)
        if route is None:
            return
        if not isinstance(route, WebhookRoute):
            raise TypeError(
                f"the webhook route must be a WebhookRoute(url, secret), not {type(route).__name__}"
            )
        message = build_message(notification, "to_webhook", notifiable, WebhookMessage)
        delivery_id = str(uuid.uuid4())
        body = message.body(delivery_id)

        def headers() -> dict[str, str]:
            # Signed again for each attempt: a retry after a long backoff still carries a
            # timestamp the receiver's tolerance accepts.
            return {
                "Content-Type": "application/json",
                "User-Agent": "Foundry-Webhooks/1",
                "X-Foundry-Event": message.event,
                "X-Foundry-Delivery": delivery_id,
                SIGNATURE_HEADER: sign_webhook(route.secret, body),
            }

        async def record(attempt: Attempt) -> None:
            await self._log.record(delivery_id, route.url, message.event, attempt)

        await self._http.post(
            self.name,
            route.url,
            content=body,
            headers=headers,
            on_attempt=record,
            public_only=not route.trusted,
        )
