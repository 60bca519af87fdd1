"""``AnonymousNotifiable``: on-demand routes for someone who is not a model.

```python
await Notification.route("mail", "ops@example.com").route("slack", webhook_url).notify(
    ServerDown(host="db1")
)
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Self

from foundry.notifications.notification import Notification

__all__ = ["AnonymousNotifiable"]


@dataclass
class AnonymousNotifiable:
    """Routes by channel name. A dataclass, so a queued notification can carry it."""

    routes: dict[str, Any] = field(default_factory=dict)

    def route(self, channel: str, route: object) -> Self:
        """Deliver on ``channel`` to ``route`` (an address, a phone number, a URL...)."""
        if channel == "database":
            raise ValueError("the database channel needs a model: on-demand routes cannot use it")
        self.routes[channel] = route
        return self

    def route_notification_for(self, channel: str, notification: Notification) -> object | None:
        """The route given for ``channel``, or ``None``."""
        return self.routes.get(channel)

    async def notify(self, notification: Notification) -> None:
        """Send ``notification`` on the routed channels its ``via`` names (queued if it is
        ``ShouldQueue``)."""
        from foundry.notifications.facade import Notifications

        await Notifications.send(self, notification)

    async def notify_now(self, notification: Notification) -> None:
        """Send ``notification`` in this process."""
        from foundry.notifications.facade import Notifications

        await Notifications.send_now(self, notification)
