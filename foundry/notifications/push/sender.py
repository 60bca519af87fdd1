"""Sending one Web Push message to one subscription: encrypted by pywebpush (RFC 8291
``aes128gcm``), signed with VAPID, posted with the channels' HTTP client.

pywebpush's own senders are ``requests`` (blocking) or a fresh ``aiohttp`` session per call;
only its encryption is used here, so the request shares the timeout and retry policy of the
other HTTP channels and never blocks the event loop.
"""

from __future__ import annotations

from pywebpush import WebPusher, WebPushException

from foundry.config.notification_channels import NotificationChannelsSettings
from foundry.notifications.http_delivery import ChannelHttp
from foundry.notifications.push.message import PushMessage
from foundry.notifications.push.vapid import VapidKeys
from foundry.notifications.tables.push_subscription import PushSubscription

__all__ = ["WebPushSender"]


class WebPushSender:
    """Encrypts and posts a :class:`PushMessage` to a subscription's endpoint."""

    def __init__(self, http: ChannelHttp, settings: NotificationChannelsSettings) -> None:
        self._http = http
        self._settings = settings
        self._keys: VapidKeys | None = None

    @property
    def keys(self) -> VapidKeys:
        """The configured VAPID keys (checked on first use)."""
        if self._keys is None:
            self._keys = VapidKeys.from_settings(self._settings)
        return self._keys

    def encrypt(self, subscription: PushSubscription, message: PushMessage) -> bytes:
        """The ``aes128gcm`` body for ``subscription`` (a new ephemeral key and salt each time).

        Raises:
            ValueError: the subscription's keys are unusable.
        """
        info = {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        }
        try:
            encoded = WebPusher(info).encode(message.payload(), subscription.content_encoding)
        except (WebPushException, ValueError) as exc:
            raise ValueError(f"push subscription {subscription.id} has unusable keys") from exc
        return encoded["body"]

    async def send(self, subscription: PushSubscription, message: PushMessage) -> None:
        """Deliver ``message``; raises
        :class:`~foundry.notifications.http_delivery.DeliveryError` (a 404 or 410 is a
        :class:`~foundry.notifications.http_delivery.DeliveryRejected` with that status; an
        endpoint that is not on a public address a
        :class:`~foundry.notifications.http_delivery.DestinationNotPublic`)."""
        body = self.encrypt(subscription, message)
        ttl = self._settings.push_ttl if message.ttl is None else message.ttl
        keys = self.keys
        endpoint = subscription.endpoint

        def headers() -> dict[str, str]:
            return {
                "Content-Type": "application/octet-stream",
                "Content-Encoding": subscription.content_encoding,
                "TTL": str(ttl),
                "Urgency": message.urgency,
                "Authorization": keys.authorization(endpoint),
            }

        # The endpoint is whatever a browser (or whoever holds a session) posted: public
        # addresses only, checked when connecting (a name checked when subscribing may
        # resolve elsewhere by now).
        await self._http.post("push", endpoint, content=body, headers=headers, public_only=True)
