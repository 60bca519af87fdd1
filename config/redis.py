"""Redis: shared by the cache, the rate limiter, the queue and the health check.

The framework's defaults are in :class:`foundry.config.redis.RedisSettings`; every value can be set in the
environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.redis import RedisSettings

__all__ = ["RedisConfig"]


class RedisConfig(RedisSettings):
    """This application's redis settings."""


SETTINGS = RedisConfig
