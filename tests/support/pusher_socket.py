"""A Pusher protocol client over a real WebSocket, for the broadcasting tests.

It speaks what pusher-js speaks: connect to ``/app/{key}?protocol=7``, subscribe, answer
pings; frames arrive with their ``data`` decoded.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

__all__ = ["PusherSocket", "pusher_socket"]


class PusherSocket:
    """One client connection; :meth:`next` waits for the next frame (or one named ``event``)."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        #: The first frame: ``pusher:connection_established``, or the error refusing us.
        self.established: dict[str, Any] = {}
        self.socket_id = ""

    async def send(self, event: str, data: Any = None, channel: str | None = None) -> None:
        """Send one frame as pusher-js would."""
        frame: dict[str, Any] = {"event": event, "data": {} if data is None else data}
        if channel is not None:
            frame["channel"] = channel
        await self.connection.send(json.dumps(frame))

    async def next(self, event: str | None = None, timeout: float = 10) -> dict[str, Any]:
        """The next frame (skipping others until one is named ``event``), ``data`` decoded."""
        async with asyncio.timeout(timeout):
            while True:
                frame = json.loads(await self.connection.recv())
                data = frame.get("data")
                if isinstance(data, str):
                    try:
                        frame["data"] = json.loads(data)
                    except ValueError:
                        pass
                if event is None or frame.get("event") == event:
                    return dict(frame)

    async def nothing_within(self, seconds: float) -> bool:
        """Whether no frame arrives within ``seconds``."""
        try:
            await self.next(timeout=seconds)
        except TimeoutError:
            return True
        return False

    async def subscribe(
        self, channel: str, auth: str | None = None, channel_data: str | None = None
    ) -> dict[str, Any]:
        """Subscribe and return the server's answer (``subscription_succeeded`` or an error)."""
        data: dict[str, Any] = {"channel": channel}
        if auth is not None:
            data["auth"] = auth
        if channel_data is not None:
            data["channel_data"] = channel_data
        await self.send("pusher:subscribe", data)
        while True:
            frame = await self.next()
            if frame["event"] in ("pusher:error", "pusher_internal:subscription_succeeded"):
                return frame


@asynccontextmanager
async def pusher_socket(
    base_url: str, key: str, *, query: str = "protocol=7&client=js&version=8.4.0"
) -> AsyncIterator[PusherSocket]:
    """Connect to the server at ``base_url`` (``http://...``) as app ``key``."""
    url = base_url.replace("http://", "ws://", 1) + f"/app/{key}?{query}"
    async with websockets.connect(url, open_timeout=10) as connection:
        socket = PusherSocket(connection)
        socket.established = await socket.next()
        if socket.established["event"] == "pusher:connection_established":
            socket.socket_id = socket.established["data"]["socket_id"]
        yield socket
