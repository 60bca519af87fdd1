"""Signed webhooks: the ``webhook`` channel's message, route, signature and delivery log.

Receivers verify a delivery with :func:`verify_webhook_signature`.
"""

from foundry.notifications.webhooks.deliveries import DeliveryLog
from foundry.notifications.webhooks.message import WebhookMessage, WebhookRoute
from foundry.notifications.webhooks.signature import (
    SIGNATURE_HEADER,
    sign_webhook,
    verify_webhook_signature,
)

__all__ = [
    "SIGNATURE_HEADER",
    "DeliveryLog",
    "WebhookMessage",
    "WebhookRoute",
    "sign_webhook",
    "verify_webhook_signature",
]
