"""``Depends(throttle("api"))`` over HTTP: rate-limit headers, 429s, and counters per client."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI
from starlette.requests import Request

from foundry.http.kernel import HttpKernel
from foundry.kernel.application import Application
from foundry.kernel.errors import HttpError, PayloadTooLargeError
from foundry.rate_limiting import (
    Limit,
    RateLimiterManager,
    UnknownLimiterError,
    client_ip,
    throttle,
    throttled_limiters,
    verify_limiters,
)
from foundry.testing.client import TestClient
from foundry.testing.response import TestResponse
from tests.foundry.feature.conftest import MakeHttpApp

router = APIRouter()


@router.get("/limited", dependencies=[Depends(throttle("api"))])
async def limited() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/uploads", dependencies=[Depends(throttle("uploads"))])
async def uploads() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/typo", dependencies=[Depends(throttle("apl"))])
async def typo() -> dict[str, str]:
    return {"status": "unreachable"}


def _app(make_http_app: MakeHttpApp, **env: str) -> FastAPI:
    # Outside the ``api`` group, whose own limiter would count too (test_api_group_throttle).
    app = make_http_app(**env)
    HttpKernel.of(app).include(router, prefix="/api")
    return app


def _limiter(app: FastAPI) -> RateLimiterManager:
    application: Application = app.state.application
    return application.container.make(RateLimiterManager)


def _client(app: FastAPI, ip: str = "203.0.113.7") -> TestClient:
    """A test client whose requests come from ``ip`` (TestClient's own always use 127.0.0.1)."""
    client = TestClient(app)
    client.http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(ip, 40000)),
        base_url="http://testserver",
        headers={"Accept": "application/json"},
    )
    return client


def _remaining(response: TestResponse) -> str | None:
    value = response.headers.get("X-RateLimit-Remaining")
    return None if value is None else str(value)


async def test_the_attempt_after_the_limit_gets_a_429_with_retry_after(
    make_http_app: MakeHttpApp,
) -> None:
    app = _app(make_http_app, RATE_LIMIT_API_PER_MINUTE="3")
    async with _client(app) as client:
        responses = [await client.get("/api/limited") for _ in range(3)]
        blocked = await client.get("/api/limited")

    for response in responses:
        response.assert_ok().assert_header("X-RateLimit-Limit", "3")
    assert [_remaining(r) for r in responses] == ["2", "1", "0"]
    blocked.assert_too_many_requests().assert_exact_json(
        {"message": "Too Many Attempts.", "error": "too_many_requests"}
    )
    blocked.assert_header("X-RateLimit-Limit", "3").assert_header("X-RateLimit-Remaining", "0")
    assert 59 <= int(blocked.headers["Retry-After"]) <= 60
    blocked.assert_header("X-RateLimit-Reset").assert_header("X-Request-ID")


async def test_each_client_ip_has_its_own_counter(make_http_app: MakeHttpApp) -> None:
    app = _app(make_http_app, RATE_LIMIT_API_PER_MINUTE="1")
    async with _client(app, "198.51.100.1") as first, _client(app, "198.51.100.2") as second:
        (await first.get("/api/limited")).assert_ok()
        (await first.get("/api/limited")).assert_too_many_requests()
        (await second.get("/api/limited")).assert_ok()


async def test_two_limiters_count_apart(make_http_app: MakeHttpApp) -> None:
    app = _app(make_http_app, RATE_LIMIT_API_PER_MINUTE="1")
    _limiter(app).for_("uploads", lambda request: Limit.per_minute(1).by(client_ip(request)))
    async with _client(app) as client:
        (await client.get("/api/limited")).assert_ok()
        (await client.get("/api/uploads")).assert_ok()
        (await client.get("/api/limited")).assert_too_many_requests()
        (await client.get("/api/uploads")).assert_too_many_requests()


async def test_limit_none_never_blocks_and_sends_no_headers(make_http_app: MakeHttpApp) -> None:
    app = _app(make_http_app)
    _limiter(app).for_("api", lambda request: Limit.none())
    async with _client(app) as client:
        for _ in range(5):
            (await client.get("/api/limited")).assert_ok().assert_header_missing(
                "X-RateLimit-Limit"
            )


async def test_several_limits_report_the_tightest_and_each_one_blocks(
    make_http_app: MakeHttpApp,
) -> None:
    app = _app(make_http_app)

    def limits(request: Request) -> list[Limit]:
        return [Limit.per_minute(10).by(client_ip(request)), Limit.per_hour(2).by("everyone")]

    _limiter(app).for_("api", limits)
    async with _client(app, "198.51.100.1") as first, _client(app, "198.51.100.2") as second:
        (await first.get("/api/limited")).assert_ok().assert_header("X-RateLimit-Limit", "2")
        response = await second.get("/api/limited")
        response.assert_ok().assert_header("X-RateLimit-Remaining", "0")
        blocked = await first.get("/api/limited")
    blocked.assert_too_many_requests().assert_header("X-RateLimit-Limit", "2")
    assert int(blocked.headers["Retry-After"]) > 3000


async def test_a_limit_may_answer_with_its_own_error(make_http_app: MakeHttpApp) -> None:
    def slow_down(request: Request, headers: object) -> HttpError:
        return PayloadTooLargeError("Upload less often.", error="upload_quota")

    app = _app(make_http_app)
    _limiter(app).for_("api", lambda request: Limit.per_minute(1).response(slow_down))
    async with _client(app) as client:
        await client.get("/api/limited")
        response = await client.get("/api/limited")
    response.assert_status(413).assert_exact_json(
        {"message": "Upload less often.", "error": "upload_quota"}
    )
    response.assert_header("Retry-After").assert_header("X-RateLimit-Remaining", "0")


async def test_an_undefined_limiter_is_reported_at_start_up(make_http_app: MakeHttpApp) -> None:
    app = _app(make_http_app)
    assert {"api", "uploads", "apl"} <= throttled_limiters(app.routes)
    _limiter(app).for_("uploads", lambda request: Limit.per_minute(1))
    with pytest.raises(UnknownLimiterError, match="undefined rate limiters: apl"):
        verify_limiters(app.routes, _limiter(app))


def test_throttles_are_found_wherever_they_are_declared() -> None:
    inner = APIRouter(dependencies=[Depends(throttle("on-router"))])

    @inner.get("/a", dependencies=[Depends(throttle("on-route"))])
    async def a(_: None = Depends(throttle("in-signature"))) -> None:
        return None

    outer = APIRouter()
    outer.include_router(inner, dependencies=[Depends(throttle("at-include"))])
    app = FastAPI()
    app.include_router(outer, prefix="/x")
    assert throttled_limiters(app.routes) == {
        "on-router",
        "on-route",
        "in-signature",
        "at-include",
    }


async def test_an_undefined_limiter_fails_the_request_instead_of_passing_it(
    make_http_app: MakeHttpApp,
) -> None:
    app = _app(make_http_app, APP_DEBUG="true")
    async with _client(app) as client:
        response = await client.get("/api/typo")
    response.assert_status(500).assert_json(
        {
            "error": "server_error",
            "exception": "foundry.rate_limiting.errors.UnknownLimiterError",
        }
    )
    assert "'apl' is not defined" in response.json()["message"]


async def test_apps_on_one_redis_share_counters(
    make_http_app: MakeHttpApp, redis_url: str, redis_prefix: str
) -> None:
    env = {
        "RATE_LIMIT_STORE": "redis",
        "RATE_LIMIT_API_PER_MINUTE": "2",
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
    }
    first_app, second_app = _app(make_http_app, **env), _app(make_http_app, **env)
    async with _client(first_app) as first, _client(second_app) as second:
        (await first.get("/api/limited")).assert_ok().assert_header("X-RateLimit-Remaining", "1")
        (await second.get("/api/limited")).assert_ok().assert_header("X-RateLimit-Remaining", "0")
        (await first.get("/api/limited")).assert_too_many_requests()
