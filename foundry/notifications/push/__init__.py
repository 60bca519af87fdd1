"""Web Push with VAPID: messages, subscriptions, keys and the sender behind the ``push``
channel."""

from foundry.notifications.push.message import PushMessage, Urgency
from foundry.notifications.push.sender import WebPushSender
from foundry.notifications.push.subscriptions import (
    PushRecipient,
    PushSubscriptions,
    SubscriptionKeys,
)
from foundry.notifications.push.vapid import VapidKeys, VapidNotConfigured

__all__ = [
    "PushMessage",
    "PushRecipient",
    "PushSubscriptions",
    "SubscriptionKeys",
    "Urgency",
    "VapidKeys",
    "VapidNotConfigured",
    "WebPushSender",
]
