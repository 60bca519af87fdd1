"""What the ``webhook`` channel sends (:class:`WebhookMessage`) and where (:class:`WebhookRoute`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

__all__ = ["WebhookMessage", "WebhookRoute"]


@dataclass(frozen=True)
class WebhookMessage:
    """An ``event`` name (``"order.shipped"``) and its JSON ``payload``.

    The request body is ``{"id": <delivery id>, "event": event, "data": payload}``.
    """

    event: str
    payload: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.event or len(self.event) > 255:
            raise ValueError("a webhook event name has 1 to 255 characters")
        json.dumps(self.payload)  # not JSON: fail where the notification builds it

    def body(self, delivery_id: str) -> bytes:
        """The JSON body sent for ``delivery_id`` (the same bytes on every attempt)."""
        document = {"id": delivery_id, "event": self.event, "data": self.payload}
        return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class WebhookRoute:
    """A receiver: its URL and the shared secret deliveries are signed with.

    A route is posted to public addresses only, since its URL is usually one a user saved.
    ``trusted=True`` is for a URL the app's developer or operator chose (configuration, code),
    which may then be on the private network; the ``WEBHOOK_URL`` default route is trusted.
    """

    url: str
    secret: str = field(repr=False)
    trusted: bool = False

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("a webhook route's URL must be an http(s) URL")
        if not self.secret:
            raise ValueError("a webhook route needs a secret to sign with")
