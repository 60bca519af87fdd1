"""Routes registered through the kernel are matched exactly as FastAPI would match them."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from foundry.http.routing import PrefixCheckedRoute, add_router


def _router() -> APIRouter:
    router = APIRouter()

    @router.get("/users/me")
    async def me() -> dict[str, str]:
        return {"route": "me"}

    @router.get("/users/{user_id}")
    async def show(user_id: int) -> dict[str, object]:
        return {"route": "show", "id": user_id}

    @router.delete("/users/{user_id}")
    async def destroy(user_id: int) -> dict[str, object]:
        return {"route": "destroy", "id": user_id}

    @router.get("/files/{path:path}")
    async def files(path: str) -> dict[str, str]:
        return {"route": "files", "path": path}

    return router


def _app() -> FastAPI:
    app = FastAPI()
    add_router(app, _router(), prefix="/api")
    return app


def _client(root_path: str = "") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=_app(), root_path=root_path)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def test_copied_routes_check_their_literal_prefix() -> None:
    app = _app()
    kinds = {type(route) for route in app.router.routes if getattr(route, "path", "")[:4] == "/api"}
    assert kinds == {PrefixCheckedRoute}


async def test_static_and_parameter_routes_resolve_in_registration_order() -> None:
    async with _client() as client:
        assert (await client.get("/api/users/me")).json() == {"route": "me"}
        assert (await client.get("/api/users/7")).json() == {"route": "show", "id": 7}
        assert (await client.delete("/api/users/7")).json() == {"route": "destroy", "id": 7}
        files = await client.get("/api/files/a/b.txt")
    assert files.json() == {"route": "files", "path": "a/b.txt"}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/users"),
        ("GET", "/api/user/7"),
        ("GET", "/api/users/x"),
        ("PUT", "/api/users/7"),
        ("POST", "/api/users/me"),
        ("GET", "/api/files/"),
        ("GET", "/elsewhere"),
    ],
)
async def test_misses_answer_as_fastapis_own_include_router(method: str, path: str) -> None:
    plain = FastAPI()
    plain.include_router(_router(), prefix="/api")
    transport = httpx.ASGITransport(app=plain)
    async with (
        _client() as ours,
        httpx.AsyncClient(transport=transport, base_url="http://test") as theirs,
    ):
        mine, reference = await ours.request(method, path), await theirs.request(method, path)
    assert (mine.status_code, mine.json()) == (reference.status_code, reference.json())
    assert mine.headers.get("allow") == reference.headers.get("allow")


async def test_trailing_slash_still_redirects() -> None:
    async with _client() as client:
        response = await client.get("/api/users/me/", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"].endswith("/api/users/me")


async def test_root_path_is_stripped_before_the_check() -> None:
    async with _client(root_path="/mounted") as client:
        response = await client.get("/mounted/api/users/me")
    assert response.json() == {"route": "me"}
