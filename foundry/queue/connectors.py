"""The queue's built-in drivers, by name: what ``QueueManager`` builds a connection with.

Each factory takes the manager and the connection's name (``factory(manager, "emails")``) and
reads that connection's settings. The queue provider hands :data:`BUILT_IN_DRIVERS` to the
manager; ``Queue.extend("sqs", factory)`` adds another, named by a connection's ``driver``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from foundry.kernel.drivers import DriverFactory
from foundry.queue.drivers.base import QueueDriver
from foundry.queue.drivers.database import DatabaseDriver
from foundry.queue.drivers.memory import MemoryDriver
from foundry.queue.drivers.redis import RedisDriver
from foundry.queue.drivers.sync import SyncDriver

if TYPE_CHECKING:
    from foundry.queue.manager import QueueManager

__all__ = ["BUILT_IN_DRIVERS"]


def _database(manager: QueueManager, name: str) -> QueueDriver:
    config = manager.connection_config(name)
    return DatabaseDriver(
        name, manager.database, default_queue=config.queue, retry_after=config.retry_after
    )


def _redis(manager: QueueManager, name: str) -> QueueDriver:
    config = manager.connection_config(name)
    return RedisDriver(
        name, manager.redis, default_queue=config.queue, retry_after=config.retry_after
    )


def _memory(manager: QueueManager, name: str) -> QueueDriver:
    config = manager.connection_config(name)
    return MemoryDriver(name, default_queue=config.queue, retry_after=config.retry_after)


def _sync(manager: QueueManager, name: str) -> QueueDriver:
    return SyncDriver(name, manager.run_sync, default_queue=manager.connection_config(name).queue)


#: ``sync``, ``database``, ``redis`` and ``memory``.
BUILT_IN_DRIVERS: Mapping[str, DriverFactory[QueueManager, QueueDriver]] = MappingProxyType(
    {"sync": _sync, "database": _database, "redis": _redis, "memory": _memory}
)
