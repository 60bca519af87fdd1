"""A notifiable with fixed routes, and a sleep that records the pauses asked of it."""

from __future__ import annotations

from foundry.notifications.notification import Notification

__all__ = ["Recipient", "Sleeps"]


class Recipient:
    """A notifiable with one route per channel (what ``route_notification_for`` answers)."""

    def __init__(self, **routes: object) -> None:
        self.routes = routes

    def route_notification_for(self, channel: str, notification: Notification) -> object | None:
        return self.routes.get(channel)


class Sleeps:
    """An ``anyio.sleep`` stand-in recording the pauses asked for (and not waiting)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
