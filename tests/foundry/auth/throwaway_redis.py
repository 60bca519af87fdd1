"""A redis-server of the test's own, to empty without touching the shared one."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from redis.asyncio import Redis as AsyncRedis

__all__ = ["ThrowawayRedis", "throwaway_redis"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ThrowawayRedis:
    """``redis-server`` on a free loopback port with no persistence: a restart comes back empty."""

    def __init__(self) -> None:
        self.port = _free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Its URL, database 0."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server and wait until it answers ``PING``."""
        self._process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    if time.monotonic() > deadline or self._process.poll() is not None:
                        raise RuntimeError(f"redis-server did not start on {self.port}") from None
                    time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        """Stop the server (its data is gone: nothing was saved)."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            process.wait(timeout=15)

    async def flush_all(self) -> None:
        """``FLUSHALL``: every key of every database gone, as after a restart."""
        client = AsyncRedis(port=self.port)
        try:
            await client.flushall()
        finally:
            await client.aclose()


@pytest.fixture
def throwaway_redis() -> Iterator[ThrowawayRedis]:
    """A started :class:`ThrowawayRedis`, stopped after the test."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = ThrowawayRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()
