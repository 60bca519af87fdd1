"""What the ``push`` channel sends: :class:`PushMessage`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["PushMessage", "Urgency"]

#: RFC 8030's ``Urgency``: how eagerly a device on battery wakes up for the message.
Urgency = Literal["very-low", "low", "normal", "high"]

#: Push services accept 4096 bytes of encrypted record; RFC 8291 leaves 3993 for the JSON.
MAX_PAYLOAD = 3993


@dataclass(frozen=True)
class PushMessage:
    """A Web Push notification, as JSON for the app's service worker to show.

    The service worker receives ``{"title", "body", "url", "data"}`` (``url`` and ``data`` only
    when set) and typically calls ``self.registration.showNotification(title, {body, data})``.

    Args:
        title: the notification's title.
        body: its text.
        url: where a click on it should lead (the service worker opens it).
        data: anything else for the service worker (JSON).
        ttl: seconds the push service keeps it for an offline device (``PUSH_TTL`` if ``None``).
        urgency: ``very-low``, ``low``, ``normal`` or ``high``.
    """

    title: str
    body: str = ""
    url: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    ttl: int | None = None
    urgency: Urgency = "normal"

    def __post_init__(self) -> None:
        if not self.title:
            raise ValueError("a push message needs a title")
        if self.ttl is not None and self.ttl < 0:
            raise ValueError("a push message's ttl cannot be negative")
        size = len(self.payload())
        if size > MAX_PAYLOAD:
            raise ValueError(
                f"a push message holds at most {MAX_PAYLOAD} bytes of JSON, not {size}"
            )

    def to_dict(self) -> dict[str, Any]:
        """The JSON document the service worker receives."""
        document: dict[str, Any] = {"title": self.title, "body": self.body}
        if self.url is not None:
            document["url"] = self.url
        if self.data:
            document["data"] = self.data
        return document

    def payload(self) -> bytes:
        """:meth:`to_dict` as UTF-8 JSON (what gets encrypted)."""
        return json.dumps(self.to_dict(), separators=(",", ":"), ensure_ascii=False).encode()
