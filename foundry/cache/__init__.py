"""The cache battery: ``Cache.get(...)``, ``Cache.store("redis")``, tags and atomic locks."""

from __future__ import annotations

from foundry.cache.array_store import ArrayStore
from foundry.cache.errors import (
    CacheError,
    CacheSerializationError,
    LockTimeoutError,
    NonNumericValueError,
    TagsNotSupportedError,
    UnknownStoreError,
)
from foundry.cache.file_store import FileStore
from foundry.cache.lock import Lock
from foundry.cache.manager import CacheManager
from foundry.cache.redis_store import RedisStore
from foundry.cache.repository import Repository, Ttl
from foundry.cache.serialization import JsonValue
from foundry.cache.store import Store, TaggableStore
from foundry.cache.tags import TaggedCache
from foundry.kernel.facades import facade

__all__ = [
    "ArrayStore",
    "Cache",
    "CacheError",
    "CacheManager",
    "CacheSerializationError",
    "FileStore",
    "JsonValue",
    "Lock",
    "LockTimeoutError",
    "NonNumericValueError",
    "RedisStore",
    "Repository",
    "Store",
    "TaggableStore",
    "TaggedCache",
    "TagsNotSupportedError",
    "Ttl",
    "UnknownStoreError",
]

#: The cache manager of the running app, typed as :class:`CacheManager`.
Cache: CacheManager = facade(CacheManager)
