"""Middleware groups applied per router: the routes of a router included into a group run
inside that group's middleware, and no other routes do."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["GroupRouter"]


class GroupRouter(APIRouter):
    """An ``APIRouter`` that runs ``middleware`` around whatever route of it was matched.

    FastAPI hands a request to an included router through ``handle`` only after one of its
    routes matched, so group middleware never sees a 404 of another router, and OpenAPI still
    lists every route (a ``Mount`` would hide them).

    It takes the routes of the router it wraps rather than including that router: each level of
    ``include_router`` costs a route match per request in FastAPI 0.165, and the routes already
    carry their router's prefix, tags and dependencies. Routes added to the wrapped router after
    the kernel included it are therefore not served.
    """

    def __init__(self, name: str, middleware: Sequence[Middleware], router: APIRouter) -> None:
        super().__init__(routes=list(router.routes))
        self.group = name
        stack: ASGIApp = super().handle
        for cls, args, kwargs in reversed(middleware):
            stack = cls(stack, *args, **kwargs)
        self._stack = stack

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._stack(scope, receive, send)
