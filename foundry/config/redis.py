"""Redis settings, shared by the cache, the rate limiter, the queue and the health check."""

from __future__ import annotations

from pydantic import Field

from foundry.config.base import Settings


class RedisSettings(Settings):
    """``REDIS_*`` variables."""

    url: str = Field(default="redis://127.0.0.1:6379/0", validation_alias="REDIS_URL")
    #: Every key the app writes starts with this, so apps can share one server.
    prefix: str = Field(default="foundry:", validation_alias="REDIS_PREFIX")
    #: Seconds a command may wait for the server's answer. A frozen or overloaded server then
    #: fails the request with a 503 instead of holding it open.
    socket_timeout: float = Field(default=5.0, gt=0, validation_alias="REDIS_SOCKET_TIMEOUT")
    #: Seconds opening a connection may take (a server that is down refuses at once; one that is
    #: unreachable would otherwise leave the request waiting for the operating system's timeout).
    connect_timeout: float = Field(default=2.0, gt=0, validation_alias="REDIS_CONNECT_TIMEOUT")
    #: How often a command whose connection was dropped is tried again on a fresh one, so the
    #: first request after a Redis restart succeeds. Timeouts are not retried: each retry would
    #: add another ``REDIS_SOCKET_TIMEOUT`` to a request's wait on a frozen server.
    retries: int = Field(default=1, ge=0, validation_alias="REDIS_RETRIES")


SETTINGS = RedisSettings
