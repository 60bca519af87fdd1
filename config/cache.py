"""Cache: the default store, the key prefix and each store's settings.

The framework's defaults are in :class:`foundry.config.cache.CacheSettings`; every value can be set in the
environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.cache import CacheSettings

__all__ = ["CacheConfig"]


class CacheConfig(CacheSettings):
    """This application's cache settings."""


SETTINGS = CacheConfig
