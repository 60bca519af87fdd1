"""One shared ``redis.asyncio`` connection pool per application, opened on first use.

Every command is bounded: connecting by ``REDIS_CONNECT_TIMEOUT``, waiting for an answer by
``REDIS_SOCKET_TIMEOUT``. A command whose connection was dropped (the pool's connections to a
server that restarted) is sent again at once on a fresh connection, ``REDIS_RETRIES`` times; a
timeout is not retried, since each retry would add another socket timeout to a request waiting on
a frozen server. Whatever still fails reaches the HTTP kernel, which answers 503 (see
:mod:`foundry.kernel.outages`).

:func:`sync_client` makes a synchronous client with the same bounds and retries, for code that
cannot be async (rq, under the queue's ``redis`` driver).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from foundry.config.redis import RedisSettings

if TYPE_CHECKING:
    import redis
    from redis.asyncio import Redis

__all__ = ["RedisConnector", "sync_client"]


def _bounds(settings: RedisSettings) -> dict[str, Any]:
    """The timeouts every client of the app's Redis gets, async or not."""
    return {
        "socket_timeout": settings.socket_timeout,
        "socket_connect_timeout": settings.connect_timeout,
    }


def sync_client(settings: RedisSettings) -> redis.Redis:
    """A new synchronous client of ``settings.url``, bounded and retried as the shared one is.

    Without it, rq's client would keep redis-py's own defaults (5 s for connecting and for each
    command, ten retries of a dropped connection) whatever the ``REDIS_*`` settings say.
    """
    from redis import Redis
    from redis.backoff import NoBackoff
    from redis.exceptions import ConnectionError
    from redis.retry import Retry

    return Redis.from_url(
        settings.url,
        **_bounds(settings),
        retry=Retry(NoBackoff(), settings.retries, supported_errors=(ConnectionError,)),
    )


class RedisConnector:
    """Bound as a singleton; ``client()`` gives the shared client, ``prefix`` the key prefix.

    ``redis`` is imported on first use, so apps that never touch Redis never load it.
    """

    def __init__(self, settings: RedisSettings) -> None:
        self.settings = settings
        self._client: Redis | None = None

    @property
    def prefix(self) -> str:
        """Prepended to every key the app writes."""
        return self.settings.prefix

    def client(self) -> Redis:
        """The shared client (decoded responses off: values are bytes)."""
        if self._client is None:
            from redis.asyncio import Redis
            from redis.asyncio.retry import Retry
            from redis.backoff import NoBackoff
            from redis.exceptions import ConnectionError

            self._client = Redis.from_url(
                self.settings.url,
                **_bounds(self.settings),
                retry=Retry(
                    NoBackoff(), self.settings.retries, supported_errors=(ConnectionError,)
                ),
            )
        return self._client

    async def ping(self) -> bool:
        """Whether the server answers."""
        return bool(await self.client().ping())

    async def aclose(self) -> None:
        """Close the pool (on shutdown)."""
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()
