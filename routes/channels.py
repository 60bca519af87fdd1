"""Broadcast channels: who may listen on each private and presence channel.

A pattern matches the channel name without ``private-``/``presence-``; its placeholders are
passed to the callback after the user. A private channel's callback answers whether the user
may listen; a presence channel's answers the member's public ``user_info`` (falsy refuses).
Callbacks may be ``async``::

    channels.channel("orders.{order_id}", order_belongs_to)   # async def (user, order_id)
"""

from __future__ import annotations

from typing import Any

from foundry.auth.user import AuthUser
from foundry.broadcasting import ChannelRoutes

__all__ = ["register"]


def _own_channel(user: AuthUser, user_id: str) -> bool:
    return str(user.id) == user_id


def _room_member(user: AuthUser, room: str) -> dict[str, Any]:
    return {"id": user.id, "name": user.name}


def register(channels: ChannelRoutes) -> None:
    """Declare the application's channels."""
    channels.channel("users.{user_id}", _own_channel)  # private-users.1: only user 1
    channels.channel("chat.{room}", _room_member)  # presence-chat.lobby: any signed-in user
