"""Broadcasting (Laravel Reverb's job): a WebSocket server speaking the Pusher Channels protocol,
so pusher-js and Laravel Echo connect unchanged, and the API that sends events to it.

* the server: ``/app/{key}`` on the app's own ASGI server (or ``artisan broadcast:serve``),
  with public, ``private-`` and ``presence-`` channels authorized by ``routes/channels.py``;
* ``ShouldBroadcast`` events and ``broadcast(event).to_others()``;
* the ``Broadcast`` facade over the broadcasters (``reverb``, ``pusher``, ``redis``, ``log``,
  ``null``, ``array``) and Pusher's HTTP API at ``/apps/{id}/...``.
"""

from foundry.broadcasting.authorization import ChannelRoutes
from foundry.broadcasting.broadcasters import Broadcaster, SentBroadcast
from foundry.broadcasting.events import (
    BroadcastEventJob,
    Channel,
    PendingBroadcast,
    PresenceChannel,
    PrivateChannel,
    ShouldBroadcast,
    ShouldBroadcastNow,
)
from foundry.broadcasting.manager import BroadcastManager
from foundry.broadcasting.models import BroadcastsEvents
from foundry.kernel.facades import facade, facade_root

__all__ = [
    "Broadcast",
    "BroadcastEventJob",
    "BroadcastManager",
    "Broadcaster",
    "BroadcastsEvents",
    "Channel",
    "ChannelRoutes",
    "PendingBroadcast",
    "PresenceChannel",
    "PrivateChannel",
    "SentBroadcast",
    "ShouldBroadcast",
    "ShouldBroadcastNow",
    "broadcast",
]

#: The broadcast manager of the current application.
Broadcast: BroadcastManager = facade(BroadcastManager)


def broadcast(event: ShouldBroadcast) -> PendingBroadcast:
    """``await broadcast(event)`` or ``await broadcast(event).to_others()``: send (or queue) a
    broadcast event without running the event's other listeners."""
    return PendingBroadcast(facade_root(Broadcast), event)
