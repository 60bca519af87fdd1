"""Channel authorization: who may listen on each private and presence channel.

The application declares it in ``routes/channels.py`` (Laravel's ``Broadcast::channel``)::

    def register(channels: ChannelRoutes) -> None:
        channels.channel("orders.{order_id}", lambda user, order_id: owns_order(user, order_id))
        channels.channel("chat.{room}", lambda user, room: {"id": user.id, "name": user.name})

A pattern matches the channel name without its ``private-``/``presence-`` prefix; its
placeholders are passed to the callback after the user, in order, as strings. For a private
channel the callback answers ``True`` to let the user in; for a presence channel it answers the
member's ``user_info`` (any JSON object), and anything falsy refuses. Callbacks may be ``async``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["ChannelCallback", "ChannelRoutes"]

#: ``callback(user, *placeholders)``: truthy (or the presence ``user_info``) to allow.
ChannelCallback = Callable[..., Any | Awaitable[Any]]

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class _Route:
    pattern: str
    regex: re.Pattern[str]
    callback: ChannelCallback


def _compile(pattern: str) -> re.Pattern[str]:
    parts, last = [], 0
    for found in _PLACEHOLDER.finditer(pattern):
        parts.append(re.escape(pattern[last : found.start()]))
        parts.append(f"(?P<{found.group(1)}>[^.]+)")
        last = found.end()
    parts.append(re.escape(pattern[last:]))
    return re.compile("".join(parts))


def _bare(channel: str) -> str:
    for prefix in ("presence-", "private-"):
        if channel.startswith(prefix):
            return channel.removeprefix(prefix)
    return channel


class ChannelRoutes:
    """The channel patterns the application declared, checked in declaration order."""

    def __init__(self) -> None:
        self._routes: list[_Route] = []

    def channel(self, pattern: str, callback: ChannelCallback) -> None:
        """Let a user listen on channels matching ``pattern`` when ``callback`` allows it."""
        self._routes.append(_Route(pattern, _compile(pattern), callback))

    def patterns(self) -> list[str]:
        """Every declared pattern, in order."""
        return [route.pattern for route in self._routes]

    async def authorize(self, user: object, channel: str) -> Any:
        """What the first matching pattern's callback answers for ``user`` (``None`` when no
        pattern matches: the channel is refused)."""
        name = _bare(channel)
        for route in self._routes:
            found = route.regex.fullmatch(name)
            if found is None:
                continue
            answer = route.callback(user, *found.groups())
            if inspect.isawaitable(answer):
                answer = await answer
            return answer
        return None
