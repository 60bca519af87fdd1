"""A router registered on a second app reuses the first app's analysed copies, and behaves the
same: its own route objects, its own dependency overrides, middleware and body limit."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Body, Depends, FastAPI
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from foundry.http.routing import add_router


def current_user() -> str:
    return "real user"


ROUTER = APIRouter()


@ROUTER.get("/whoami")
async def whoami(user: str = Depends(current_user)) -> dict[str, str]:
    return {"user": user}


@ROUTER.post("/echo", status_code=201)
async def echo(text: str = Body(embed=True)) -> dict[str, str]:
    return {"text": text}


class Tag:
    """Adds ``x-app`` to every response, to see which app's middleware ran."""

    def __init__(self, app: ASGIApp, name: str) -> None:
        self.app = app
        self.name = name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def tagged(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))  # type: ignore[call-overload]
                headers.append((b"x-app", self.name.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, tagged)  # type: ignore[arg-type]


def _app(name: str, prefix: str = "/api") -> FastAPI:
    app = FastAPI()
    add_router(app, ROUTER, prefix=prefix, middleware=[Middleware(Tag, name=name)])
    return app


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def _served(app: FastAPI) -> dict[str, object]:
    return {getattr(route, "path", ""): route for route in app.router.routes}


async def test_each_app_gets_route_objects_of_its_own() -> None:
    first, second = _app("first"), _app("second")
    assert _served(first)["/api/whoami"] is not _served(second)["/api/whoami"]
    async with _client(first) as one, _client(second) as two:
        assert (await one.get("/api/whoami")).headers["x-app"] == "first"
        assert (await two.get("/api/whoami")).headers["x-app"] == "second"


async def test_dependency_overrides_hold_only_for_the_app_that_set_them() -> None:
    first, second = _app("first"), _app("second")
    second.dependency_overrides[current_user] = lambda: "stand-in"
    async with _client(first) as one, _client(second) as two:
        assert (await one.get("/api/whoami")).json() == {"user": "real user"}
        assert (await two.get("/api/whoami")).json() == {"user": "stand-in"}


async def test_a_reused_copy_validates_and_answers_as_the_first() -> None:
    for app in (_app("first"), _app("second")):
        async with _client(app) as client:
            created = await client.post("/api/echo", json={"text": "hi"})
            invalid = await client.post("/api/echo", json={"text": ["not", "text"]})
        assert (created.status_code, created.json()) == (201, {"text": "hi"})
        assert invalid.status_code == 422


async def test_another_prefix_builds_another_copy() -> None:
    _app("first")
    elsewhere = _app("second", prefix="/v2")
    async with _client(elsewhere) as client:
        assert (await client.get("/v2/whoami")).json() == {"user": "real user"}
        assert (await client.get("/api/whoami")).status_code == 404
