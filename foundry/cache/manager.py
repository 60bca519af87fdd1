"""The cache manager: named stores built on first use, and the default store's API.

``Cache.get("k")`` goes to the default store (``CACHE_STORE``); ``Cache.store("redis")`` names
another. ``extend`` adds a store of your own under a new name.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, overload

from foundry.cache.array_store import ArrayStore
from foundry.cache.errors import UnknownStoreError
from foundry.cache.file_store import FileStore
from foundry.cache.lock import Lock
from foundry.cache.redis_store import RedisStore
from foundry.cache.repository import Repository, Ttl
from foundry.cache.serialization import JsonValue
from foundry.cache.store import Store
from foundry.cache.tags import TaggedCache
from foundry.config.cache import CacheSettings
from foundry.kernel.facades import Swappable
from foundry.kernel.redis import RedisConnector

__all__ = ["BUILT_IN_STORES", "CacheManager", "StoreFactory"]

T = TypeVar("T", bound=JsonValue)

#: Builds a store for the manager asking (which gives access to its settings and clock).
StoreFactory = Callable[["CacheManager"], Store]
BUILT_IN_STORES = ("array", "file", "redis")


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
        self._repositories: dict[str, Repository] = {}
        self._factories: dict[str, StoreFactory] = {}

    @property
    def default_store(self) -> str:
        """The name of the default store (``CACHE_STORE``)."""
        return self.settings.store

    def store_names(self) -> list[str]:
        """Every store name this manager can build."""
        return [*BUILT_IN_STORES, *(n for n in self._factories if n not in BUILT_IN_STORES)]

    def store(self, name: str | None = None) -> Repository:
        """The repository of store ``name`` (default: ``CACHE_STORE``), built on first use."""
        name = name or self.default_store
        repository = self._repositories.get(name)
        if repository is None:
            repository = self._repositories[name] = Repository(self._create(name), name)
        return repository

    def extend(self, name: str, factory: StoreFactory) -> None:
        """Make ``factory(manager)`` the store called ``name`` (replacing a built-in one)."""
        self._factories[name] = factory
        self._repositories.pop(name, None)

    def _create(self, name: str) -> Store:
        factory = self._factories.get(name)
        if factory is not None:
            return factory(self)
        if name == "array":
            return ArrayStore(self.clock)
        if name == "file":
            return FileStore(
                self.settings.path,
                prefix=self.settings.prefix,
                clock=self.clock,
                guard_timeout=self.settings.file_lock_timeout,
            )
        if name == "redis":
            return RedisStore(self.redis, self.settings.prefix)
        raise UnknownStoreError(
            f"cache store {name!r} is not defined; known stores: {', '.join(self.store_names())}"
        )

    def fake(self) -> CacheManager:
        """Swap in a manager whose default store is a fresh ``array`` store; returns it."""
        fake = CacheManager(
            self.settings.model_copy(update={"store": "array"}), self.redis, self.clock
        )
        fake._factories = dict(self._factories)
        fake._factories.pop("array", None)
        return self.swap(fake)

    # -- the default store's API -----------------------------------------------------------------

    async def get(self, key: str, default: Any = None) -> Any:
        """See :meth:`Repository.get`."""
        return await self.store().get(key, default)

    async def many(self, keys: Iterable[str]) -> dict[str, Any]:
        """See :meth:`Repository.many`."""
        return await self.store().many(keys)

    async def has(self, key: str) -> bool:
        """See :meth:`Repository.has`."""
        return await self.store().has(key)

    async def missing(self, key: str) -> bool:
        """See :meth:`Repository.missing`."""
        return await self.store().missing(key)

    async def pull(self, key: str, default: Any = None) -> Any:
        """See :meth:`Repository.pull`."""
        return await self.store().pull(key, default)

    async def put(self, key: str, value: JsonValue, ttl: Ttl = None) -> bool:
        """See :meth:`Repository.put`."""
        return await self.store().put(key, value, ttl)

    async def put_many(self, values: Mapping[str, JsonValue], ttl: Ttl = None) -> bool:
        """See :meth:`Repository.put_many`."""
        return await self.store().put_many(values, ttl)

    async def add(self, key: str, value: JsonValue, ttl: Ttl = None) -> bool:
        """See :meth:`Repository.add`."""
        return await self.store().add(key, value, ttl)

    async def forever(self, key: str, value: JsonValue) -> bool:
        """See :meth:`Repository.forever`."""
        return await self.store().forever(key, value)

    async def increment(self, key: str, by: int = 1) -> int:
        """See :meth:`Repository.increment`."""
        return await self.store().increment(key, by)

    async def decrement(self, key: str, by: int = 1) -> int:
        """See :meth:`Repository.decrement`."""
        return await self.store().decrement(key, by)

    async def forget(self, key: str) -> bool:
        """See :meth:`Repository.forget`."""
        return await self.store().forget(key)

    async def flush(self) -> None:
        """See :meth:`Repository.flush`."""
        await self.store().flush()

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
        return await self.store().remember(key, None, callback)

    def lock(self, name: str, seconds: float = 0, owner: str | None = None) -> Lock:
        """See :meth:`Repository.lock`."""
        return self.store().lock(name, seconds, owner)

    def restore_lock(self, name: str, owner: str) -> Lock:
        """See :meth:`Repository.restore_lock`."""
        return self.store().restore_lock(name, owner)

    def tags(self, names: str | Sequence[str]) -> TaggedCache:
        """See :meth:`Repository.tags`."""
        return self.store().tags(names)
