"""Errors raised by the cache."""

from __future__ import annotations

__all__ = [
    "CacheError",
    "CacheSerializationError",
    "LockTimeoutError",
    "NonNumericValueError",
    "TagsNotSupportedError",
    "UnknownStoreError",
]


class CacheError(Exception):
    """Base class of every cache error."""


class UnknownStoreError(CacheError, LookupError):
    """A store name that is neither built in nor added with ``CacheManager.extend``."""


class CacheSerializationError(CacheError, TypeError):
    """A value that cannot be stored as JSON (or stored text that is not JSON)."""


class NonNumericValueError(CacheError, TypeError):
    """``increment``/``decrement`` on a key whose value is not an integer."""


class TagsNotSupportedError(CacheError):
    """``tags()`` on a store that cannot tag entries (the file store)."""


class LockTimeoutError(CacheError):
    """A lock could not be acquired in time (``block``) or at once (``async with``)."""
