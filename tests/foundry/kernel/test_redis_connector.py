"""The shared Redis client gives up on a silent server at once and retries only dropped connections.

A stand-in server on a local port counts the connections the client opens: one that accepts and
never answers (a frozen Redis), one that hangs up on every connection (a Redis restarting).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from redis.exceptions import ConnectionError, TimeoutError

from foundry.config.redis import RedisSettings
from foundry.kernel.redis import RedisConnector


@dataclass
class StandIn:
    """A TCP server on 127.0.0.1 that counts the connections it accepts."""

    port: int = 0
    connections: int = 0
    held: list[asyncio.StreamWriter] = field(default_factory=list)


async def _serve(hang_up: bool) -> AsyncIterator[StandIn]:
    stand_in = StandIn()

    async def accept(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stand_in.connections += 1
        if hang_up:
            writer.close()
        else:
            stand_in.held.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    stand_in.port = server.sockets[0].getsockname()[1]
    yield stand_in
    for writer in stand_in.held:
        writer.close()
    server.close()
    await server.wait_closed()


@pytest.fixture
async def silent_server() -> AsyncIterator[StandIn]:
    """Accepts connections and never answers."""
    async for stand_in in _serve(hang_up=False):
        yield stand_in


@pytest.fixture
async def hanging_up_server() -> AsyncIterator[StandIn]:
    """Closes every connection as soon as it is made."""
    async for stand_in in _serve(hang_up=True):
        yield stand_in


def connector(port: int, **env: str) -> RedisConnector:
    settings = RedisSettings.model_validate(
        {"REDIS_URL": f"redis://127.0.0.1:{port}/0", "REDIS_SOCKET_TIMEOUT": "0.2", **env}
    )
    return RedisConnector(settings)


async def test_a_timeout_is_not_retried(silent_server: StandIn) -> None:
    redis = connector(silent_server.port)
    try:
        with pytest.raises(TimeoutError):
            await redis.client().get("key")
    finally:
        await redis.aclose()
    assert silent_server.connections == 1


@pytest.mark.parametrize("retries", [0, 1, 3])
async def test_a_dropped_connection_is_retried_redis_retries_times(
    hanging_up_server: StandIn, retries: int
) -> None:
    redis = connector(hanging_up_server.port, REDIS_RETRIES=str(retries))
    try:
        with pytest.raises(ConnectionError):
            await redis.client().get("key")
    finally:
        await redis.aclose()
    assert hanging_up_server.connections == 1 + retries
