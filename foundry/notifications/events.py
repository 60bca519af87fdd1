"""The events a notification fires around each channel's delivery (Laravel's names)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundry.notifications.notification import Notification

__all__ = ["NotificationFailed", "NotificationSending", "NotificationSent"]


@dataclass(frozen=True)
class NotificationSending:
    """About to deliver on ``channel``; a listener returning ``False`` cancels this delivery."""

    notifiable: Any
    notification: Notification
    channel: str


@dataclass(frozen=True)
class NotificationSent:
    """Delivered on ``channel``; ``response`` is what the channel returned."""

    notifiable: Any
    notification: Notification
    channel: str
    response: object = None


@dataclass(frozen=True)
class NotificationFailed:
    """Delivery on ``channel`` raised ``exception`` (raised on after this event)."""

    notifiable: Any
    notification: Notification
    channel: str
    exception: BaseException
