"""Bodies over ``MAX_BODY_SIZE`` get a JSON 413, whether declared or streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import APIRouter, FastAPI
from starlette.requests import Request

from foundry.http.kernel import HttpKernel
from foundry.testing.client import TestClient
from tests.foundry.feature.conftest import MakeHttpApp

router = APIRouter()


@router.post("/upload")
async def upload(request: Request) -> dict[str, int]:
    return {"received": len(await request.body())}


@router.post("/json")
async def json_body(payload: dict[str, str]) -> dict[str, int]:
    return {"keys": len(payload)}


def _app(make_http_app: MakeHttpApp) -> FastAPI:
    app = make_http_app(MAX_BODY_SIZE="1024")
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    return app


async def _chunks(total: int, size: int = 256) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"x" * piece


EXPECTED = {
    "message": "The request body may not be larger than 1024 bytes.",
    "error": "payload_too_large",
}


async def test_declared_length_over_the_limit_is_refused(make_http_app: MakeHttpApp) -> None:
    async with TestClient(_app(make_http_app)) as client:
        response = await client.post("/api/upload", content=b"x" * 1025)
    response.assert_status(413).assert_exact_json(EXPECTED).assert_header("X-Request-ID")


@pytest.mark.parametrize("path", ["/api/upload", "/api/json"])
async def test_streamed_body_over_the_limit_is_refused(
    make_http_app: MakeHttpApp, path: str
) -> None:
    async with TestClient(_app(make_http_app)) as client:
        response = await client.post(
            path, content=_chunks(4096), headers={"Content-Type": "application/json"}
        )
    assert "content-length" not in response.response.request.headers
    response.assert_status(413).assert_exact_json(EXPECTED)


async def test_bodies_up_to_the_limit_pass(make_http_app: MakeHttpApp) -> None:
    async with TestClient(_app(make_http_app)) as client:
        (await client.post("/api/upload", content=b"x" * 1024)).assert_ok().assert_json(
            {"received": 1024}
        )
        streamed = await client.post("/api/upload", content=_chunks(1024))
        streamed.assert_ok().assert_json({"received": 1024})


async def test_default_limit_is_ten_mebibytes(make_http_app: MakeHttpApp) -> None:
    app = make_http_app()
    HttpKernel.of(app).include(router, prefix="/api")
    async with TestClient(app) as client:
        (await client.post("/api/upload", content=b"x" * (10 * 1024 * 1024))).assert_ok()
        response = await client.post("/api/upload", content=b"x" * (10 * 1024 * 1024 + 1))
    response.assert_status(413).assert_json({"error": "payload_too_large"})
