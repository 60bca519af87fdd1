"""Middleware groups apply to the routers included into them, and only to those."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import APIRouter, Depends, Response, WebSocket
from fastapi.routing import iter_route_contexts
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from foundry.http.kernel import HttpKernel
from foundry.kernel.application import Application
from foundry.testing.client import TestClient
from tests.foundry.feature.conftest import MakeHttpApp

router = APIRouter()


@router.get("/things")
async def things() -> list[str]:
    return ["a"]


@router.get("/cached")
async def cached(response: Response) -> list[str]:
    response.headers["Cache-Control"] = "public, max-age=60"
    return ["b"]


class StampMiddleware:
    """Marks responses so a test can see which routes ran inside the group."""

    def __init__(self, app: ASGIApp, *, stamp: str) -> None:
        self.app = app
        self.stamp = stamp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], (b"x-stamp", self.stamp.encode())]
            await send(message)

        await self.app(scope, receive, stamped)


async def test_api_group_marks_responses_no_store_unless_the_route_says_otherwise(
    make_http_app: MakeHttpApp,
) -> None:
    app = make_http_app()
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    async with TestClient(app) as client:
        (await client.get("/api/things")).assert_ok().assert_header("Cache-Control", "no-store")
        (await client.get("/api/cached")).assert_header("Cache-Control", "public, max-age=60")
        (await client.get("/health")).assert_header_missing("Cache-Control")


class StampingKernel(HttpKernel):
    """An app's kernel declares its own groups by extending the framework's."""

    def middleware_groups(self) -> dict[str, list[Middleware]]:
        return {
            **super().middleware_groups(),
            "stamped": [Middleware(StampMiddleware, stamp="yes")],
        }


async def test_group_middleware_runs_only_for_its_routers(
    make_application: Callable[..., Application],
) -> None:
    kernel = StampingKernel(make_application())
    app = kernel.app
    other = APIRouter()

    @other.get("/plain")
    async def plain() -> dict[str, bool]:
        return {"ok": True}

    kernel.include(router, group="stamped", prefix="/stamped")
    kernel.include(other, prefix="/other")
    async with TestClient(app) as client:
        (await client.get("/stamped/things")).assert_ok().assert_header("X-Stamp", "yes")
        (await client.get("/other/plain")).assert_ok().assert_header_missing("X-Stamp")
        (await client.get("/stamped/nothing")).assert_not_found().assert_header_missing("X-Stamp")


async def test_the_same_router_can_serve_two_groups(make_http_app: MakeHttpApp) -> None:
    app = make_http_app()
    kernel = HttpKernel.of(app)
    kernel.include(router, group="api", prefix="/api")
    kernel.include(router, group="web", prefix="/web")
    async with TestClient(app) as client:
        (await client.get("/api/things")).assert_header("Cache-Control", "no-store")
        (await client.get("/web/things")).assert_ok().assert_header_missing("Cache-Control")


async def test_unknown_group_is_refused(make_http_app: MakeHttpApp) -> None:
    with pytest.raises(KeyError, match="unknown middleware group 'admin'"):
        HttpKernel.of(make_http_app()).include(router, group="admin")


async def test_a_grouped_router_keeps_its_prefix_dependencies_and_sub_routers(
    make_http_app: MakeHttpApp,
) -> None:
    calls: list[str] = []

    async def audit() -> None:
        calls.append("audited")

    users = APIRouter(prefix="/users", dependencies=[Depends(audit)])

    @users.get("/{user_id}")
    async def show(user_id: int) -> dict[str, int]:
        return {"id": user_id}

    settings = APIRouter(prefix="/{user_id}/settings")

    @settings.get("")
    async def user_settings(user_id: int) -> dict[str, object]:
        return {"id": user_id, "theme": "dark"}

    users.include_router(settings)
    app = make_http_app()
    HttpKernel.of(app).include(users, group="api", prefix="/api/v1")
    async with TestClient(app) as client:
        shown = await client.get("/api/v1/users/7")
        nested = await client.get("/api/v1/users/7/settings")
        paths = set((await client.get("/openapi.json")).json()["paths"])
    shown.assert_ok().assert_exact_json({"id": 7}).assert_header("Cache-Control", "no-store")
    nested.assert_ok().assert_exact_json({"id": 7, "theme": "dark"})
    nested.assert_header("Cache-Control", "no-store")
    assert calls == ["audited", "audited"]
    assert {"/api/v1/users/{user_id}", "/api/v1/users/{user_id}/settings"} <= paths


async def test_a_router_with_a_websocket_is_still_served_inside_its_group(
    make_http_app: MakeHttpApp,
) -> None:
    live = APIRouter()

    @live.get("/status")
    async def status() -> dict[str, str]:
        return {"status": "live"}

    @live.websocket("/feed")
    async def feed(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.close()

    app = make_http_app()
    HttpKernel.of(app).include(live, group="api", prefix="/live")
    async with TestClient(app) as client:
        response = await client.get("/live/status")
    response.assert_ok().assert_exact_json({"status": "live"})
    response.assert_header("Cache-Control", "no-store")
    contexts = {c.path: c.original_route for c in iter_route_contexts(app.routes)}
    assert "/live/feed" in contexts
    assert HttpKernel.of(app).group_of(contexts["/live/status"]) == "api"


async def test_the_kernel_tells_which_group_a_route_runs_in(make_http_app: MakeHttpApp) -> None:
    app = make_http_app()
    kernel = HttpKernel.of(app)
    kernel.include(router, group="api", prefix="/api")
    kernel.include(router, prefix="/open")
    groups = {c.path: kernel.group_of(c.original_route) for c in iter_route_contexts(app.routes)}
    assert groups["/api/things"] == "api"
    assert groups["/open/things"] is None
    assert groups["/health"] is None
