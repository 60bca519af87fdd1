"""The ``push`` channel: Web Push to every browser the notifiable subscribed.

A notification builds a :class:`~foundry.notifications.push.PushMessage` in
``to_push(notifiable)``; the notifiable's ``push`` route is a
:class:`~foundry.notifications.push.PushRecipient` (a model with an ``id`` gets one by itself),
whose rows in ``push_subscriptions`` each receive the message. A subscription the push service
answers with 404 or 410 has expired or been revoked by the user: it is deleted and does not
count as a failure. So is one whose endpoint is (or now resolves to) an address that is not
public: no push service lives there, nothing was sent to it, and keeping it would fail every
later push the same way.
"""

from __future__ import annotations

import logging
from typing import ClassVar

from foundry.notifications.channel import NotificationChannel
from foundry.notifications.channels.routes import build_message
from foundry.notifications.http_delivery import (
    DeliveryError,
    DeliveryRejected,
    DestinationNotPublic,
    safe_host,
)
from foundry.notifications.notification import Notification, Routable
from foundry.notifications.push.message import PushMessage
from foundry.notifications.push.sender import WebPushSender
from foundry.notifications.push.subscriptions import PushRecipient, PushSubscriptions

__all__ = ["PushChannel"]

logger = logging.getLogger("foundry.notifications")

_GONE = (404, 410)


class PushChannel(NotificationChannel):
    """Sends ``to_push(notifiable)`` to each of the notifiable's push subscriptions."""

    name: ClassVar[str] = "push"

    def __init__(self, sender: WebPushSender, subscriptions: PushSubscriptions) -> None:
        self._sender = sender
        self._subscriptions = subscriptions

    def route(self, notifiable: Routable, notification: Notification) -> object | None:
        """The notifiable's ``push`` route, else the :class:`PushRecipient` of the model."""
        found = super().route(notifiable, notification)
        return found if found is not None else PushRecipient.of(notifiable)

    async def send(self, notifiable: Routable, notification: Notification) -> None:
        """Push to every subscription; forget the gone ones (and those not on a public
        address); raise the first other failure after trying them all (a retry then pushes
        again to those that succeeded)."""
        recipient = self.route(notifiable, notification)
        if recipient is None:
            return
        if not isinstance(recipient, PushRecipient):
            raise TypeError(
                f"the push route must be a PushRecipient, not {type(recipient).__name__}"
            )
        subscriptions = await self._subscriptions.for_recipient(recipient)
        if not subscriptions:
            return
        message = build_message(notification, "to_push", notifiable, PushMessage)
        failures: list[DeliveryError] = []
        for subscription in subscriptions:
            try:
                await self._sender.send(subscription, message)
            except DestinationNotPublic:
                logger.warning(
                    "push subscription %s at %s is not on a public address: deleted",
                    subscription.id,
                    safe_host(subscription.endpoint),
                )
                await self._subscriptions.forget(subscription.endpoint)
            except DeliveryRejected as exc:
                if exc.status not in _GONE:
                    failures.append(exc)
                    continue
                logger.info(
                    "push subscription %s at %s is gone (HTTP %s): deleted",
                    subscription.id,
                    safe_host(subscription.endpoint),
                    exc.status,
                )
                await self._subscriptions.forget(subscription.endpoint)
            except DeliveryError as exc:
                failures.append(exc)
        if failures:
            raise failures[0]
