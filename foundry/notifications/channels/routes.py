"""What the HTTP channels share: asking a notification for its message, reading URL routes."""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import urlsplit

from pydantic import SecretStr

from foundry.notifications.notification import Notification

__all__ = ["build_message", "url_route"]

M = TypeVar("M")


def build_message(notification: Notification, method: str, notifiable: object, kind: type[M]) -> M:
    """``notification.<method>(notifiable)``, checked to be a ``kind``.

    Raises:
        TypeError: the notification has no such method, or it returned something else.
    """
    builder = getattr(notification, method, None)
    if not callable(builder):
        raise TypeError(
            f"{type(notification).__qualname__} is sent on this channel but has no {method}()"
        )
    message = builder(notifiable)
    if not isinstance(message, kind):
        raise TypeError(
            f"{type(notification).__qualname__}.{method}() returned "
            f"{type(message).__qualname__}, not {kind.__qualname__}"
        )
    return message


def url_route(value: object, channel: str) -> str | None:
    """A webhook URL route (a ``str`` or ``SecretStr``), checked to be http(s); ``None`` stays.

    Raises:
        ValueError: the route is not an http(s) URL (the message never shows the URL itself).
    """
    if value is None:
        return None
    url = value.get_secret_value() if isinstance(value, SecretStr) else value
    if not isinstance(url, str) or not url:
        raise ValueError(f"the {channel} route must be a webhook URL, not {type(url).__name__}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the {channel} route must be an http(s) URL")
    return url
