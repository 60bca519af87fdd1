"""Binds the broadcast manager, the WebSocket server and the channel routes; broadcasts
:class:`~foundry.broadcasting.events.ShouldBroadcast` events when they are dispatched."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from foundry.broadcasting.authorization import ChannelRoutes
from foundry.broadcasting.channels import LocalChannels
from foundry.broadcasting.directory import RedisDirectory
from foundry.broadcasting.events import PendingBroadcast, ShouldBroadcast
from foundry.broadcasting.hub import LocalHub, RedisHub
from foundry.broadcasting.manager import BroadcastManager
from foundry.broadcasting.models import BroadcastsEvents, ModelBroadcastObserver
from foundry.broadcasting.server import BroadcastServer
from foundry.config.broadcasting import BroadcastingSettings
from foundry.database.observers import ObserverRegistry
from foundry.events.dispatcher import EventDispatcher
from foundry.kernel.providers import ServiceProvider

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["BroadcastServiceProvider", "load_channel_routes"]


def load_channel_routes(module: str, routes: ChannelRoutes) -> None:
    """Call ``register(routes)`` of the channels module, if the application has one."""
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return
        raise
    register = getattr(found, "register", None)
    if not callable(register):
        raise TypeError(f"channel routes module {module} has no register(channels) function")
    register(routes)


def _server(container: Container) -> BroadcastServer:
    manager = container.make(BroadcastManager)
    settings = manager.settings
    if not settings.scaling:
        return BroadcastServer(settings, manager.credentials, LocalHub())
    # Several processes: frames travel over the hub's pub/sub channel, and channel state lives
    # in keys next to it (``{REDIS_PREFIX}{REVERB_SCALING_CHANNEL}:...``).
    redis = manager.redis.client()
    channels = LocalChannels()
    return BroadcastServer(
        settings,
        manager.credentials,
        RedisHub(redis, manager.listener_client, manager.hub_channel),
        channels=channels,
        directory=RedisDirectory(redis, manager.hub_channel + ":", channels),
    )


class BroadcastServiceProvider(ServiceProvider):
    """Broadcasting: the manager (``Broadcast``), the server (``/app/{key}``) and the channel
    authorization callbacks of ``routes/channels.py``."""

    def register(self, container: Container) -> None:
        container.singleton(BroadcastManager)
        container.singleton(BroadcastServer, _server)
        container.singleton(ChannelRoutes)

    def boot(self, app: Application) -> None:
        container = app.container
        settings = container.make(BroadcastingSettings)
        load_channel_routes(settings.channels_module, container.make(ChannelRoutes))

        async def broadcast_event(event: ShouldBroadcast) -> None:
            await PendingBroadcast(container.make(BroadcastManager), event).send()

        container.make(EventDispatcher).listen(ShouldBroadcast, broadcast_event)
        container.make(ObserverRegistry).observe(BroadcastsEvents, ModelBroadcastObserver)

        async def close() -> None:
            server = container.resolved(BroadcastServer)
            if server is not None:
                await server.stop()
            manager = container.resolved(BroadcastManager)
            if manager is not None:
                await manager.aclose()

        app.on_shutdown(close)
