"""A notifiable with fixed routes, a sleep that records the pauses asked of it, and a DNS
stand-in."""

from __future__ import annotations

import socket
from collections.abc import Sequence

from foundry.notifications.notification import Notification

__all__ = ["Recipient", "Resolver", "Sleeps"]


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


class Resolver:
    """A DNS stand-in: fixed answers per name, and a record of what was asked."""

    def __init__(self, **answers: list[str]) -> None:
        self.answers = {name.replace("_", "."): found for name, found in answers.items()}
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.asked.append(host)
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self.answers[host]
