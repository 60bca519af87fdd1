"""The broadcast manager: named broadcasters built on first use, reached through ``Broadcast``.

``await Broadcast.event(OrderShipped(order)).to_others()`` (see :mod:`.events`) goes out through
the default broadcaster (``BROADCAST_CONNECTION``); ``Broadcast.connection("pusher")`` names
another; ``extend`` adds one of your own; ``fake()`` keeps events in memory for assertions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

import httpx
from redis.asyncio import Redis

from foundry.broadcasting.broadcasters import (
    ArrayBroadcaster,
    Broadcaster,
    HttpBroadcaster,
    LogBroadcaster,
    NullBroadcaster,
    RedisBroadcaster,
)
from foundry.broadcasting.credentials import Credentials
from foundry.config.app import AppSettings
from foundry.config.broadcasting import BroadcastingSettings
from foundry.kernel.drivers import DriverFactory, DriverRegistry
from foundry.kernel.facades import Swappable
from foundry.kernel.redis import RedisConnector

__all__ = ["BroadcastManager", "UnknownBroadcasterError"]


class UnknownBroadcasterError(LookupError):
    """No broadcaster has that name."""


def _reverb(manager: BroadcastManager, name: str) -> Broadcaster:
    s = manager.settings
    return HttpBroadcaster(
        f"{s.scheme}://{s.host}:{s.port}",
        manager.credentials,
        timeout=s.timeout,
        client=httpx.AsyncClient(),
    )


def _pusher(manager: BroadcastManager, name: str) -> Broadcaster:
    s = manager.settings
    host = s.pusher_host or f"api-{s.pusher_cluster}.pusher.com"
    secret = s.pusher_secret.get_secret_value() if s.pusher_secret is not None else ""
    return HttpBroadcaster(
        f"{s.pusher_scheme}://{host}:{s.pusher_port}",
        Credentials(s.pusher_app_id, s.pusher_key, secret),
        timeout=s.timeout,
        client=httpx.AsyncClient(),
    )


def _redis(manager: BroadcastManager, name: str) -> Broadcaster:
    return RedisBroadcaster(manager.redis.client(), manager.hub_channel)


_BUILT_IN: Final[Mapping[str, DriverFactory[BroadcastManager, Broadcaster]]] = MappingProxyType(
    {
        "reverb": _reverb,
        "pusher": _pusher,
        "redis": _redis,
        "log": lambda manager, name: LogBroadcaster(),
        "null": lambda manager, name: NullBroadcaster(),
        "array": lambda manager, name: ArrayBroadcaster(),
    }
)


class BroadcastManager(Swappable):
    """Holds the named broadcasters; a singleton reached through the ``Broadcast`` facade."""

    def __init__(
        self, settings: BroadcastingSettings, app: AppSettings, redis: RedisConnector
    ) -> None:
        self.settings = settings
        self.redis = redis
        self.credentials = Credentials.of(settings, app)
        self._broadcasters = DriverRegistry(
            self,
            kind="broadcaster",
            built_in=_BUILT_IN,
            default=lambda: self.settings.connection,
            error=UnknownBroadcasterError,
        )

    @property
    def hub_channel(self) -> str:
        """The Redis pub/sub channel the server processes share (after ``REDIS_PREFIX``)."""
        return self.redis.prefix + self.settings.redis_channel

    def connection(self, name: str | None = None) -> Broadcaster:
        """The broadcaster called ``name`` (default: ``BROADCAST_CONNECTION``).

        Raises:
            UnknownBroadcasterError: no broadcaster has that name.
        """
        return self._broadcasters.driver(name)

    def extend(self, name: str, factory: Callable[[BroadcastManager, str], Broadcaster]) -> None:
        """Make ``factory(manager, name)`` the broadcaster called ``name``."""
        self._broadcasters.extend(name, factory)

    def listener_client(self) -> Redis:
        """A Redis client for a pub/sub subscription: bounded connect, no read timeout."""
        settings = self.redis.settings
        return Redis.from_url(
            settings.url,
            socket_connect_timeout=settings.connect_timeout,
            socket_timeout=None,
            health_check_interval=30,
        )

    def fake(self) -> ArrayBroadcaster:
        """Send every broadcast to one in-memory :class:`ArrayBroadcaster`; returns it."""
        fake = ArrayBroadcaster()
        self.extend(self.settings.connection, lambda manager, name: fake)
        return fake

    async def aclose(self) -> None:
        """Close every broadcaster built so far."""
        for broadcaster in self._broadcasters.release():
            await broadcaster.aclose()
