"""Redis settings, shared by the cache, the rate limiter, the queue and the health check."""

from __future__ import annotations

from pydantic import Field

from foundry.config.base import Settings


class RedisSettings(Settings):
    """``REDIS_*`` variables."""

    url: str = Field(default="redis://127.0.0.1:6379/0", validation_alias="REDIS_URL")
    #: Every key the app writes starts with this, so apps can share one server.
    prefix: str = Field(default="foundry:", validation_alias="REDIS_PREFIX")
    socket_timeout: float = Field(default=5.0, gt=0, validation_alias="REDIS_SOCKET_TIMEOUT")


SETTINGS = RedisSettings
