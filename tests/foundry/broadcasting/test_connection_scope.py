"""A WebSocket connection lives for hours: it must not hold the handshake's container scope."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import WebSocketRoute
from starlette.types import ASGIApp
from starlette.websockets import WebSocket

from foundry.broadcasting.credentials import Credentials
from foundry.broadcasting.hub import LocalHub
from foundry.broadcasting.server import BroadcastServer
from foundry.config.broadcasting import BroadcastingSettings
from foundry.http.middleware.container_scope import ContainerScopeMiddleware, container_of
from foundry.kernel.container import Container
from tests.support.pusher_socket import pusher_socket


class Session:
    """Stands for a database session: a scoped service holding a pooled connection."""

    def __init__(self) -> None:
        self.closed = False


async def test_the_handshake_scope_is_closed_while_the_connection_stays_open() -> None:
    container = Container()
    sessions: list[Session] = []

    def open_session(scope: Container) -> Session:
        sessions.append(Session())
        return sessions[-1]

    def close_session(session: Session) -> None:
        session.closed = True

    container.scoped(Session, open_session, on_close=close_session)
    server = BroadcastServer(
        BroadcastingSettings(), Credentials("1000", "key", "secret"), LocalHub()
    )

    async def endpoint(websocket: WebSocket) -> None:
        scope = container_of(websocket.scope)
        assert scope is not None
        scope.make(Session)  # what a handshake dependency (auth, say) would resolve
        await server.serve(websocket, "key")

    app = Starlette(
        routes=[WebSocketRoute("/app/key", endpoint)],
        middleware=[Middleware(ContainerScopeMiddleware, container=container)],
    )
    async with _served(app) as url, pusher_socket(url, "key") as client:
        # Connected, and the session the handshake opened is already closed.
        assert len(sessions) == 1 and sessions[0].closed
        assert (await client.subscribe("news"))["event"] == "pusher_internal:subscription_succeeded"
        await client.send("pusher:ping")
        assert (await client.next())["event"] == "pusher:pong"
    assert len(sessions) == 1  # nothing reopened one behind the connection's back


@asynccontextmanager
async def _served(app: ASGIApp) -> AsyncIterator[str]:
    """``app`` under uvicorn in this event loop, on a free port; its base URL."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[listening]))
    try:
        async with asyncio.timeout(10):
            while not server.started:
                await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        listening.close()
