"""The ``api`` middleware group runs the ``api`` rate limiter on every route in it."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Depends, FastAPI
from starlette.responses import PlainTextResponse, Response

from foundry.http.kernel import HttpKernel
from foundry.kernel.application import Application
from foundry.rate_limiting import Limit, RateLimiterManager, client_ip, throttle
from foundry.testing.client import TestClient
from tests.foundry.feature.conftest import MakeHttpApp

router = APIRouter()


@router.get("/plain")
async def plain() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/own-response", response_model=None)
async def own_response() -> Response:
    return PlainTextResponse("ok")


@router.get("/also-throttled", dependencies=[Depends(throttle("api"))])
async def also_throttled() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/uploads", dependencies=[Depends(throttle("uploads"))])
async def uploads() -> dict[str, str]:
    return {"status": "ok"}


def _app(make_http_app: MakeHttpApp, **env: str) -> FastAPI:
    app = make_http_app(**env)
    kernel = HttpKernel.of(app)
    kernel.include(router, group="api", prefix="/api")
    kernel.include(router, prefix="/outside")
    return app


def _client(app: FastAPI, ip: str = "203.0.113.7") -> TestClient:
    client = TestClient(app)
    client.http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(ip, 40000)),
        base_url="http://testserver",
        headers={"Accept": "application/json"},
    )
    return client


async def test_every_api_route_is_throttled_with_headers_and_a_json_429(
    make_http_app: MakeHttpApp,
) -> None:
    app = _app(make_http_app, RATE_LIMIT_API_PER_MINUTE="2")
    async with _client(app) as client:
        first = await client.get("/api/plain")
        second = await client.get("/api/own-response")
        blocked = await client.get("/api/plain")

    first.assert_ok().assert_header("X-RateLimit-Limit", "2")
    first.assert_header("X-RateLimit-Remaining", "1")
    # A route answering a Response itself still gets the headers.
    second.assert_ok().assert_header("X-RateLimit-Remaining", "0")
    blocked.assert_too_many_requests().assert_exact_json(
        {"message": "Too Many Attempts.", "error": "too_many_requests"}
    )
    blocked.assert_header("X-RateLimit-Limit", "2").assert_header("X-RateLimit-Remaining", "0")
    blocked.assert_header("Cache-Control", "no-store").assert_header("X-Request-ID")
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60


async def test_routes_outside_the_group_are_not_counted(make_http_app: MakeHttpApp) -> None:
    app = _app(make_http_app, RATE_LIMIT_API_PER_MINUTE="1")
    async with _client(app) as client:
        for _ in range(3):
            (await client.get("/outside/plain")).assert_ok().assert_header_missing(
                "X-RateLimit-Limit"
            )
        (await client.get("/api/plain")).assert_ok()


async def test_a_route_naming_the_api_limiter_too_is_counted_once(
    make_http_app: MakeHttpApp,
) -> None:
    app = _app(make_http_app, RATE_LIMIT_API_PER_MINUTE="3")
    async with _client(app) as client:
        remaining = [
            (await client.get("/api/also-throttled")).headers["X-RateLimit-Remaining"]
            for _ in range(3)
        ]
    assert remaining == ["2", "1", "0"]


async def test_a_route_limiter_reports_its_own_tighter_limit(make_http_app: MakeHttpApp) -> None:
    app = _app(make_http_app, RATE_LIMIT_API_PER_MINUTE="100")
    application: Application = app.state.application
    limiter = application.container.make(RateLimiterManager)
    limiter.for_("uploads", lambda request: Limit.per_minute(1).by(client_ip(request)))
    async with _client(app) as client:
        allowed = await client.get("/api/uploads")
        blocked = await client.get("/api/uploads")

    allowed.assert_ok().assert_header("X-RateLimit-Limit", "1")
    blocked.assert_too_many_requests().assert_header("X-RateLimit-Limit", "1")


async def test_limit_none_turns_the_group_limit_off(make_http_app: MakeHttpApp) -> None:
    app = _app(make_http_app, RATE_LIMIT_API_PER_MINUTE="1")
    application: Application = app.state.application
    application.container.make(RateLimiterManager).for_("api", lambda request: Limit.none())
    async with _client(app) as client:
        for _ in range(3):
            (await client.get("/api/plain")).assert_ok()
