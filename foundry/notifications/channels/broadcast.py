"""The ``broadcast`` channel: a notification pushed to the notifiable's WebSocket channel.

Laravel Echo's ``.notification(callback)`` hears it unchanged: the event is
``Illuminate\\Notifications\\Events\\BroadcastNotificationCreated`` (Echo's name for it) with
``to_broadcast`` (or ``to_array``) plus the notification's ``id`` and ``type``, on the
notifiable's ``broadcast`` route (a model's: ``private-{table}.{id}``, ``private-users.1``)::

    Echo.private("users.1").notification((notification) => console.log(notification.type));
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from foundry.broadcasting.manager import BroadcastManager
from foundry.notifications.channel import NotificationChannel
from foundry.notifications.channels.database import notification_data
from foundry.notifications.errors import NotificationError
from foundry.notifications.notification import Notification, Routable

__all__ = ["BroadcastChannel", "BROADCAST_NOTIFICATION_EVENT"]

#: The event name Laravel Echo's ``.notification()`` listens for.
BROADCAST_NOTIFICATION_EVENT = "Illuminate\\Notifications\\Events\\BroadcastNotificationCreated"


class BroadcastChannel(NotificationChannel):
    """Sends through the default broadcaster (``BROADCAST_CONNECTION``)."""

    name: ClassVar[str] = "broadcast"

    def __init__(self, broadcasts: BroadcastManager) -> None:
        self.broadcasts = broadcasts

    async def send(self, notifiable: Routable, notification: Notification) -> None:
        """Broadcast the notification's data to the notifiable's channel (or channels)."""
        route = self.route(notifiable, notification)
        if route is None:
            return
        if isinstance(route, str):
            channels = [route]
        elif isinstance(route, (list, tuple)):
            channels = [str(channel) for channel in route]
        else:
            raise NotificationError("a broadcast route is a channel name or a list of them")
        data = notification_data(notification, notifiable, self.name)
        if not isinstance(data, dict):
            raise NotificationError(
                f"{type(notification).__qualname__}.to_broadcast must return a dict, "
                f"not {type(data).__qualname__}"
            )
        payload = {**data, "id": str(uuid.uuid4()), "type": notification.database_type()}
        await self.broadcasts.connection().broadcast(
            channels, BROADCAST_NOTIFICATION_EVENT, payload
        )
