"""The Pusher Channels protocol (version 7): frames, error codes, socket ids and channel names.

Every frame is a JSON object ``{"event", "data", "channel"}`` whose ``data`` is itself a JSON
string (the protocol's double encoding), except where a client sends an object.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from enum import Enum
from typing import Any

__all__ = [
    "ChannelKind",
    "PusherError",
    "channel_kind",
    "frame",
    "internal_frame",
    "new_socket_id",
    "valid_channel_name",
    "valid_socket_id",
]

#: Pusher's rules: letters, digits and ``_-=@,.;``, at most 164 characters (``#`` starts
#: server-to-user channels, which this server does not offer).
_CHANNEL_NAME = re.compile(r"[A-Za-z0-9_\-=@,.;]{1,164}")
_SOCKET_ID = re.compile(r"\d{1,20}\.\d{1,20}")


class ChannelKind(Enum):
    """What a channel's name prefix makes it."""

    PUBLIC = "public"
    PRIVATE = "private"
    PRESENCE = "presence"


def channel_kind(name: str) -> ChannelKind:
    """``presence-`` and ``private-`` channels need a signed subscription; others are public."""
    if name.startswith("presence-"):
        return ChannelKind.PRESENCE
    if name.startswith("private-"):
        return ChannelKind.PRIVATE
    return ChannelKind.PUBLIC


def valid_channel_name(name: object) -> bool:
    """Whether ``name`` is a channel name the protocol allows."""
    return isinstance(name, str) and _CHANNEL_NAME.fullmatch(name) is not None


def valid_socket_id(value: object) -> bool:
    """Whether ``value`` looks like a socket id this server hands out (``123.456``)."""
    return isinstance(value, str) and _SOCKET_ID.fullmatch(value) is not None


def new_socket_id() -> str:
    """A fresh, unguessable socket id in the protocol's ``digits.digits`` form."""
    return f"{secrets.randbelow(10**9)}.{secrets.randbelow(10**9)}"


def frame(event: str, data: Any = None, channel: str | None = None, **extra: Any) -> str:
    """A frame with ``data`` JSON-encoded into a string (left as is when it is one already)."""
    message: dict[str, Any] = {"event": event}
    if data is not None:
        message["data"] = data if isinstance(data, str) else json.dumps(data)
    if channel is not None:
        message["channel"] = channel
    message.update(extra)
    return json.dumps(message, separators=(",", ":"))


def internal_frame(event: str, data: Mapping[str, Any], channel: str) -> str:
    """A ``pusher_internal:`` frame (subscription answers, presence changes)."""
    return frame(f"pusher_internal:{event}", json.dumps(dict(data)), channel)


class PusherError(Exception):
    """An error the protocol names by code, sent to the client as ``pusher:error``.

    Codes 4000-4099 tell the client not to reconnect, 4100-4199 to reconnect after a pause,
    4200-4299 to reconnect at once; 4300+ are errors that keep the connection.
    """

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def frame(self) -> str:
        """The ``pusher:error`` frame for this error."""
        return frame("pusher:error", {"code": self.code, "message": self.message})


#: The errors this server sends, by situation.
APP_NOT_FOUND = (4001, "Application does not exist")
UNSUPPORTED_PROTOCOL = (4007, "Unsupported protocol version")
UNAUTHORIZED = (4009, "Connection is unauthorized")
ORIGIN_NOT_ALLOWED = (4009, "Origin not allowed")
PONG_TIMEOUT = (4201, "Pong reply not received")
INVALID_MESSAGE = (4200, "Invalid message format")
CLIENT_EVENTS_DISABLED = (4301, "The app does not have client messaging enabled")
NOT_A_MEMBER = (4009, "The client is not a member of the specified channel")
MESSAGE_TOO_LARGE = (4300, "Message too large")
TOO_MANY_CHANNELS = (4300, "Too many channels for one connection")
