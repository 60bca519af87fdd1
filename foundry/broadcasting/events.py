"""Broadcast events (Laravel's ``ShouldBroadcast``): events that also reach WebSocket clients.

::

    class OrderShipped(ShouldBroadcast):
        def __init__(self, order_id: int, user_id: int) -> None:
            self.order_id = order_id
            self.user_id = user_id

        def broadcast_on(self) -> list[str]:
            return [PrivateChannel(f"orders.{self.user_id}")]

    await Event.dispatch(OrderShipped(5, 1))        # queued, then broadcast
    await broadcast(OrderShipped(5, 1)).to_others()   # not to the connection that caused it

The event goes out as ``broadcast_as()`` (the class name unless overridden: Laravel Echo
listens with a leading dot, ``.listen(".OrderShipped", ...)``) with ``broadcast_with()`` (the
public attributes unless overridden) as its data. A :class:`ShouldBroadcast` event is queued
(``broadcast_queue``, on ``broadcast_connection``); a :class:`ShouldBroadcastNow` one is sent
at once.
"""

from __future__ import annotations

import contextvars
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

from foundry.broadcasting.manager import BroadcastManager
from foundry.jobs.job import Job

__all__ = [
    "BroadcastEventJob",
    "Channel",
    "PendingBroadcast",
    "PresenceChannel",
    "PrivateChannel",
    "ShouldBroadcast",
    "ShouldBroadcastNow",
    "current_socket_id",
]

#: The ``X-Socket-ID`` of the request being served, for ``to_others()``.
current_socket_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "foundry_broadcast_socket_id", default=None
)


class Channel(str):
    """A public channel's name (any ``str`` works too)."""

    __slots__ = ()
    prefix: ClassVar[str] = ""

    def __new__(cls, name: str) -> Channel:
        return super().__new__(cls, name if name.startswith(cls.prefix) else cls.prefix + name)


class PrivateChannel(Channel):
    """``private-{name}``: subscribers are authorized by ``routes/channels.py``."""

    __slots__ = ()
    prefix = "private-"


class PresenceChannel(Channel):
    """``presence-{name}``: private, and subscribers see who else is there."""

    __slots__ = ()
    prefix = "presence-"


class ShouldBroadcast(ABC):
    """An event that is also sent to WebSocket subscribers (queued first)."""

    #: The broadcaster (``None``: ``BROADCAST_CONNECTION``).
    broadcast_connection: ClassVar[str | None] = None
    #: The queue the broadcast job goes on (``None``: the connection's default).
    broadcast_queue: ClassVar[str | None] = None

    @abstractmethod
    def broadcast_on(self) -> Sequence[str] | str:
        """The channels to send the event on."""

    def broadcast_as(self) -> str:
        """The event name clients listen for."""
        return type(self).__name__

    def broadcast_with(self) -> dict[str, Any]:
        """The event's data: its public attributes unless overridden."""
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def broadcast_when(self) -> bool:
        """Whether to broadcast at all."""
        return True


class ShouldBroadcastNow(ShouldBroadcast):
    """Broadcast at once, in the dispatching process, instead of through the queue."""


def _channels(event: ShouldBroadcast) -> list[str]:
    found = event.broadcast_on()
    return [str(found)] if isinstance(found, str) else [str(name) for name in found]


class BroadcastEventJob(Job):
    """Sends one broadcast from a queue worker (what queued broadcast events become)."""

    def __init__(
        self,
        channels: list[str],
        event: str,
        payload: dict[str, Any],
        socket_id: str | None = None,
        broadcaster: str | None = None,
    ) -> None:
        self.channels = channels
        self.event = event
        self.payload = payload
        self.socket_id = socket_id
        self.broadcaster = broadcaster

    async def handle(self, broadcasts: BroadcastManager) -> None:
        """Send it through the named broadcaster."""
        await broadcasts.connection(self.broadcaster).broadcast(
            self.channels, self.event, self.payload, self.socket_id
        )


class PendingBroadcast:
    """``broadcast(event)``: awaited, it sends (or queues) the event."""

    def __init__(self, manager: BroadcastManager, event: ShouldBroadcast) -> None:
        self.manager = manager
        self.event = event
        self.socket_id: str | None = None

    def to_others(self) -> PendingBroadcast:
        """Leave out the connection whose request this is (its ``X-Socket-ID``)."""
        self.socket_id = current_socket_id.get()
        return self

    def __await__(self) -> Any:
        return self.send().__await__()

    async def send(self) -> None:
        """Queue the broadcast (send it now for :class:`ShouldBroadcastNow`)."""
        event = self.event
        if not event.broadcast_when():
            return
        channels = _channels(event)
        if not channels:
            return
        job = BroadcastEventJob(
            channels,
            event.broadcast_as(),
            event.broadcast_with(),
            self.socket_id,
            event.broadcast_connection,
        )
        if isinstance(event, ShouldBroadcastNow):
            await job.handle(self.manager)
            return
        if event.broadcast_queue is not None:
            job.queue = event.broadcast_queue
        await job.dispatch()
