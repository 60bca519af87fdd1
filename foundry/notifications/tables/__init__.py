"""The tables of the HTTP notification channels: ``webhook_deliveries`` and
``push_subscriptions``.

A package named ``tables`` so the migration environment finds them (as a battery's tables).
"""

from foundry.notifications.tables.push_subscription import PushSubscription
from foundry.notifications.tables.webhook_delivery import WebhookDelivery

__all__ = ["PushSubscription", "WebhookDelivery"]
