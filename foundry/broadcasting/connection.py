"""One client's WebSocket, as the server and its channels use it."""

from __future__ import annotations

import asyncio
import logging

from starlette.websockets import WebSocket, WebSocketState

__all__ = ["Connection"]

logger = logging.getLogger("foundry.broadcasting")


class Connection:
    """A connected client: its socket id and a send that never raises.

    Sends are serialized with a lock: a fan-out and the connection's own answers may write at
    the same time, and a frame must never interleave with another.
    """

    __slots__ = ("_lock", "channels", "closed", "socket_id", "websocket")

    def __init__(self, websocket: WebSocket, socket_id: str) -> None:
        self.websocket = websocket
        self.socket_id = socket_id
        self.closed = False
        #: The channels this client is subscribed to (bounded by ``REVERB_MAX_CHANNELS``).
        self.channels: set[str] = set()
        self._lock = asyncio.Lock()

    async def send(self, text: str) -> None:
        """Send one frame; a connection that went away is marked closed and skipped."""
        if self.closed:
            return
        try:
            async with self._lock:
                await self.websocket.send_text(text)
        except Exception:  # the client left mid-send: its receive loop cleans up
            self.closed = True

    async def close(self, code: int, reason: str = "") -> None:
        """Close the WebSocket with ``code`` (a protocol error code tells pusher-js what to do)."""
        self.closed = True
        if self.websocket.application_state == WebSocketState.CONNECTED:
            try:
                await self.websocket.close(code, reason)
            except Exception:
                logger.debug("closing a WebSocket that already went away", exc_info=True)
