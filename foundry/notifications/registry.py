"""``ChannelRegistry``: the notification channels by name, each built in the current scope.

Channels are registered by class, keyed by ``cls.name``, and built with ``container.make(cls)``
for each send, so a channel's constructor receives the services of the request or job sending
(the ``database`` channel gets that scope's session). The framework registers ``database`` and
``mail``; a package or an application adds its own in a provider's ``boot``::

    Notifications.extend(TelegramChannel)      # Laravel's Notification::extend
"""

from __future__ import annotations

from foundry.kernel.container import Container
from foundry.notifications.channel import NotificationChannel
from foundry.notifications.errors import UnknownChannelError

__all__ = ["ChannelRegistry"]


class ChannelRegistry:
    """Channel classes by name; one per application (a container singleton)."""

    def __init__(self) -> None:
        self._channels: dict[str, type[NotificationChannel]] = {}

    def extend(self, channel: type[NotificationChannel]) -> None:
        """Register ``channel`` under ``channel.name`` (replacing a channel of that name).

        Raises:
            TypeError: ``channel`` is not a :class:`NotificationChannel` class with a ``name``.
        """
        if not (isinstance(channel, type) and issubclass(channel, NotificationChannel)):
            raise TypeError(f"{channel!r} is not a NotificationChannel class")
        name = getattr(channel, "name", None)
        if not isinstance(name, str) or not name:
            raise TypeError(f"{channel.__qualname__} sets no `name` (the name `via` uses)")
        self._channels[name] = channel

    def names(self) -> list[str]:
        """Every registered channel name, in registration order."""
        return list(self._channels)

    def channel_class(self, name: str) -> type[NotificationChannel]:
        """The class registered as ``name``.

        Raises:
            UnknownChannelError: no channel has that name.
        """
        try:
            return self._channels[name]
        except KeyError:
            known = ", ".join(self._channels) or "none"
            raise UnknownChannelError(
                f"no notification channel {name!r} (registered: {known}); "
                "add one with Notifications.extend(MyChannel)"
            ) from None

    def make(self, name: str, container: Container) -> NotificationChannel:
        """The channel ``name``, built by ``container`` (the current request's or job's scope)."""
        return container.make(self.channel_class(name))
