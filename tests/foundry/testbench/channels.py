"""The test application's broadcast channels."""

from __future__ import annotations

from typing import Any

from foundry.auth.user import AuthUser
from foundry.broadcasting import ChannelRoutes

__all__ = ["register"]


def _own_channel(user: AuthUser, user_id: str) -> bool:
    return str(user.id) == user_id


async def _room_member(user: AuthUser, room: str) -> dict[str, Any] | None:
    if room == "closed":
        return None
    return {"name": user.name}


def register(channels: ChannelRoutes) -> None:
    """``private-users.{id}`` for that user only; ``presence-chat.{room}`` for anyone signed in
    but ``closed``."""
    channels.channel("users.{user_id}", _own_channel)
    channels.channel("chat.{room}", _room_member)
