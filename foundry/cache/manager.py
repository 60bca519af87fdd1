"""The cache manager: named stores built on first use, and the default store's API.

``Cache.get("k")`` goes to the default store (``CACHE_STORE``); ``Cache.store("redis")`` names
another. ``extend`` adds a store of your own under a new name.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType
from typing import Any, Final, TypeVar, overload

from foundry.cache.array_store import ArrayStore
from foundry.cache.errors import UnknownStoreError
from foundry.cache.file_store import FileStore
from foundry.cache.redis_store import RedisStore
from foundry.cache.repository import Repository, Ttl
from foundry.cache.serialization import JsonValue
from foundry.cache.store import Store
from foundry.config.cache import CacheSettings
from foundry.kernel.drivers import DriverFactory, DriverRegistry, Forward
from foundry.kernel.facades import Swappable
from foundry.kernel.redis import RedisConnector

__all__ = ["BUILT_IN_STORES", "CacheManager", "StoreFactory"]

T = TypeVar("T", bound=JsonValue)

#: Builds a store for the manager asking (which gives access to its settings and clock).
StoreFactory = Callable[["CacheManager"], Store]


def _array(manager: CacheManager, name: str) -> Repository:
    return Repository(ArrayStore(manager.clock), name)


def _file(manager: CacheManager, name: str) -> Repository:
    settings = manager.settings
    store = FileStore(
        settings.path,
        prefix=settings.prefix,
        clock=manager.clock,
        guard_timeout=settings.file_lock_timeout,
    )
    return Repository(store, name)


def _redis(manager: CacheManager, name: str) -> Repository:
    return Repository(RedisStore(manager.redis, manager.settings.prefix), name)


_BUILT_IN: Final[Mapping[str, DriverFactory[CacheManager, Repository]]] = MappingProxyType(
    {"array": _array, "file": _file, "redis": _redis}
)
BUILT_IN_STORES: Final = tuple(_BUILT_IN)


class CacheManager(Swappable):
    """Holds the named stores; bound as a singleton, reached through the ``Cache`` facade."""

    def __init__(
        self,
        settings: CacheSettings,
        redis: RedisConnector,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.settings = settings
        self.redis = redis
        #: Seconds since the epoch; array and file stores use it to decide what has expired.
        self.clock: Callable[[], float] = clock or time.time
        self._stores = DriverRegistry(
            self,
            kind="cache store",
            built_in=_BUILT_IN,
            default=lambda: self.settings.store,
            error=UnknownStoreError,
        )

    @property
    def default_store(self) -> str:
        """The name of the default store (``CACHE_STORE``)."""
        return self.settings.store

    def store_names(self) -> list[str]:
        """Every store name this manager can build."""
        return self._stores.names()

    def store(self, name: str | None = None) -> Repository:
        """The repository of store ``name`` (default: ``CACHE_STORE``), built on first use.

        Raises:
            UnknownStoreError: no store has that name.
        """
        return self._stores.driver(name)

    def extend(self, name: str, factory: StoreFactory) -> None:
        """Make ``factory(manager)`` the store called ``name`` (replacing a built-in one)."""
        self._stores.extend(name, lambda manager, store: Repository(factory(manager), store))

    def fake(self) -> CacheManager:
        """Swap in a manager whose default store is a fresh ``array`` store; returns it.

        Stores added with :meth:`extend` come along, except one replacing ``array``.
        """
        fake = CacheManager(
            self.settings.model_copy(update={"store": "array"}), self.redis, self.clock
        )
        fake._stores.adopt_extensions(self._stores, keep_built_in=("array",))
        return self.swap(fake)

    # -- the default store's API (each runs the same method of ``store()``) ----------------------

    get = Forward(store, Repository.get)
    many = Forward(store, Repository.many)
    has = Forward(store, Repository.has)
    missing = Forward(store, Repository.missing)
    pull = Forward(store, Repository.pull)
    put = Forward(store, Repository.put)
    put_many = Forward(store, Repository.put_many)
    add = Forward(store, Repository.add)
    forever = Forward(store, Repository.forever)
    increment = Forward(store, Repository.increment)
    decrement = Forward(store, Repository.decrement)
    forget = Forward(store, Repository.forget)
    flush = Forward(store, Repository.flush)
    lock = Forward(store, Repository.lock)
    restore_lock = Forward(store, Repository.restore_lock)
    tags = Forward(store, Repository.tags)

    # ``Forward`` keeps only the first of an overloaded method's signatures: these two by hand.

    @overload
    async def remember(self, key: str, ttl: Ttl, callback: Callable[[], Awaitable[T]]) -> T: ...

    @overload
    async def remember(self, key: str, ttl: Ttl, callback: Callable[[], T]) -> T: ...

    async def remember(self, key: str, ttl: Ttl, callback: Callable[[], Any]) -> Any:
        """See :meth:`Repository.remember`."""
        return await self.store().remember(key, ttl, callback)

    @overload
    async def remember_forever(self, key: str, callback: Callable[[], Awaitable[T]]) -> T: ...

    @overload
    async def remember_forever(self, key: str, callback: Callable[[], T]) -> T: ...

    async def remember_forever(self, key: str, callback: Callable[[], Any]) -> Any:
        """See :meth:`Repository.remember_forever`."""
        return await self.store().remember_forever(key, callback)
