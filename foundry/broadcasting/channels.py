"""The channels one server process holds: who is subscribed, and presence members.

Each process knows only its own connections. Events and presence changes reach the other
processes through the :mod:`~foundry.broadcasting.hub`; this module delivers what arrives to
the local subscribers. What every process holds together (channel counts, presence members) is
the :mod:`~foundry.broadcasting.directory`'s business.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from foundry.broadcasting.protocol import ChannelKind, channel_kind

__all__ = ["ChannelState", "LocalChannels", "Member", "Subscriber"]

logger = logging.getLogger("foundry.broadcasting")


class Subscriber(Protocol):
    """A client connection as channels see it."""

    socket_id: str

    async def send(self, text: str) -> None:
        """Send one frame; a connection that went away ignores it."""


@dataclass(frozen=True, slots=True)
class Member:
    """A presence channel member: the ``channel_data`` its subscription was signed with."""

    user_id: str
    user_info: Any = None


@dataclass(slots=True)
class ChannelState:
    """One channel's local subscribers (and, for presence channels, who each one is)."""

    name: str
    kind: ChannelKind
    subscribers: dict[str, Subscriber] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)

    def has_user(self, user_id: str) -> bool:
        """Whether another connection of ``user_id`` is still subscribed here."""
        return any(member.user_id == user_id for member in self.members.values())


class LocalChannels:
    """The channels with at least one subscriber in this process."""

    def __init__(self) -> None:
        self._channels: dict[str, ChannelState] = {}

    def __iter__(self) -> Iterator[ChannelState]:
        return iter(list(self._channels.values()))

    def get(self, name: str) -> ChannelState | None:
        """The channel called ``name``, if anyone here is subscribed to it."""
        return self._channels.get(name)

    def is_subscribed(self, subscriber: Subscriber, name: str) -> bool:
        """Whether ``subscriber`` is on channel ``name``."""
        channel = self._channels.get(name)
        return channel is not None and subscriber.socket_id in channel.subscribers

    def subscribe(
        self, subscriber: Subscriber, name: str, member: Member | None = None
    ) -> tuple[ChannelState, bool]:
        """Add ``subscriber`` to ``name``; the channel and whether ``member`` is a user who was
        not on it yet (from this process: the caller announces ``member_added``)."""
        channel = self._channels.get(name)
        if channel is None:
            channel = self._channels[name] = ChannelState(name, channel_kind(name))
        channel.subscribers[subscriber.socket_id] = subscriber
        new_user = False
        if member is not None:
            new_user = not channel.has_user(member.user_id)
            channel.members[subscriber.socket_id] = member
        return channel, new_user

    def unsubscribe(self, subscriber: Subscriber, name: str) -> Member | None:
        """Remove ``subscriber`` from ``name``; the member who thereby left the channel entirely
        (no other connection of theirs remains), for ``member_removed``."""
        channel = self._channels.get(name)
        if channel is None or channel.subscribers.pop(subscriber.socket_id, None) is None:
            return None
        member = channel.members.pop(subscriber.socket_id, None)
        if not channel.subscribers:
            del self._channels[name]
        if member is not None and not channel.has_user(member.user_id):
            return member
        return None

    def unsubscribe_all(self, subscriber: Subscriber) -> list[tuple[str, Member | None]]:
        """Remove ``subscriber`` everywhere: each channel it was on, with the member who thereby
        left that channel entirely (``None`` if nobody did)."""
        left = []
        for channel in self:
            if subscriber.socket_id in channel.subscribers:
                left.append((channel.name, self.unsubscribe(subscriber, channel.name)))
        return left

    async def deliver(self, name: str, text: str, except_socket: str | None = None) -> int:
        """Send ``text`` to every local subscriber of ``name`` but ``except_socket``; how many."""
        channel = self._channels.get(name)
        if channel is None:
            return 0
        sent = 0
        for socket_id, subscriber in list(channel.subscribers.items()):
            if socket_id != except_socket:
                await subscriber.send(text)
                sent += 1
        return sent
