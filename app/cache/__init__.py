"""The cache battery: ``Cache.get(...)``, ``Cache.store("redis")``, tags and atomic locks."""

from __future__ import annotations

from app.cache.array_store import ArrayStore
from app.cache.errors import (
    CacheError,
    CacheSerializationError,
    LockTimeoutError,
    NonNumericValueError,
    TagsNotSupportedError,
    UnknownStoreError,
)
from app.cache.file_store import FileStore
from app.cache.lock import Lock
from app.cache.manager import CacheManager
from app.cache.redis_store import RedisStore
from app.cache.repository import Repository, Ttl
from app.cache.serialization import JsonValue
from app.cache.store import Store, TaggableStore
from app.cache.tags import TaggedCache
from app.support.facades import facade

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
