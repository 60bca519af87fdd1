"""``X-Socket-ID``: which WebSocket connection made this request, for ``to_others()``.

Laravel Echo adds the header to the requests a page makes (through its axios/fetch
interceptors), so ``await broadcast(event).to_others()`` inside the request leaves out the
connection of the page that caused the event.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from foundry.broadcasting.events import current_socket_id
from foundry.broadcasting.protocol import valid_socket_id

__all__ = ["SocketIdMiddleware"]

_HEADER = b"x-socket-id"


class SocketIdMiddleware:
    """Sets :data:`~foundry.broadcasting.events.current_socket_id` for the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        socket_id = None
        if scope["type"] == "http":
            for key, value in scope["headers"]:
                if key == _HEADER:
                    text = value.decode("latin-1")
                    socket_id = text if valid_socket_id(text) else None
                    break
        if socket_id is None:
            await self.app(scope, receive, send)
            return
        token = current_socket_id.set(socket_id)
        try:
            await self.app(scope, receive, send)
        finally:
            current_socket_id.reset(token)
