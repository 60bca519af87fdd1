"""One container scope per request: scoped services (the database session) live and die with it."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from foundry.kernel.container import Container

__all__ = ["CONTAINER_STATE_KEY", "ContainerScopeMiddleware", "container_of"]

CONTAINER_STATE_KEY = "container"


def container_of(scope: Scope) -> Container | None:
    """The request's container scope, if the middleware opened one."""
    state = scope.get("state")
    found = state.get(CONTAINER_STATE_KEY) if isinstance(state, dict) else None
    return found if isinstance(found, Container) else None


class ContainerScopeMiddleware:
    """Opens ``container.scope()`` for each request, makes it current, and closes it afterwards.

    The scope closes after the response has been sent (and background tasks have run), running
    the ``on_close`` callbacks of every scoped service the request resolved.
    """

    def __init__(self, app: ASGIApp, *, container: Container) -> None:
        self.app = app
        self.container = container

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        async with self.container.scope() as request_container:
            scope.setdefault("state", {})[CONTAINER_STATE_KEY] = request_container
            await self.app(scope, receive, send)
