"""``/health`` answers without I/O; ``/health/ready`` pings the database and, when used, Redis."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from foundry.testing.client import TestClient
from tests.foundry.feature.conftest import MakeHttpApp


@pytest.fixture
async def silent_port() -> AsyncIterator[int]:
    """A port that accepts connections and never answers: a hung back end."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_alive(make_http_app: MakeHttpApp) -> None:
    async with TestClient(make_http_app()) as client:
        response = await client.get("/health")
    response.assert_ok().assert_exact_json({"status": "ok"})


async def test_ready_with_the_embedded_defaults_needs_no_redis(
    make_http_app: MakeHttpApp, database_url: str
) -> None:
    async with TestClient(make_http_app(DATABASE_URL=database_url)) as client:
        response = await client.get("/health/ready")
    response.assert_ok().assert_exact_json({"status": "ok", "checks": {"database": "ok"}})


async def test_ready_with_redis(make_http_app: MakeHttpApp, redis_url: str) -> None:
    async with TestClient(make_http_app(REDIS_URL=redis_url)) as client:
        response = await client.get("/health/ready")
    response.assert_ok().assert_exact_json(
        {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
    )


@pytest.mark.parametrize(
    "env",
    [
        {"REDIS_URL": "redis://127.0.0.1:1/0"},
        {"REDIS_URL": "redis://127.0.0.1:1/0", "CACHE_STORE": "redis"},
    ],
)
async def test_unreachable_redis_is_a_503_naming_redis(
    make_http_app: MakeHttpApp, env: dict[str, str]
) -> None:
    async with TestClient(make_http_app(**env)) as client:
        response = await client.get("/health/ready")
    response.assert_status(503).assert_exact_json(
        {
            "message": "Service Unavailable: redis",
            "error": "service_unavailable",
            "checks": {"database": "ok", "redis": "failed"},
        }
    )
    response.assert_header("X-Request-ID")


async def test_a_store_on_redis_makes_redis_checked(make_http_app: MakeHttpApp) -> None:
    # No REDIS_URL: the default URL is used, and a store on Redis still needs it to answer.
    app = make_http_app(RATE_LIMIT_STORE="redis", REDIS_PREFIX="unused:")
    async with TestClient(app) as client:
        body = (await client.get("/health/ready")).json()
    assert "redis" in body["checks"]


async def test_unreachable_database_is_a_503_naming_the_database(
    make_http_app: MakeHttpApp,
) -> None:
    app = make_http_app(DATABASE_URL="postgresql+asyncpg://nobody@127.0.0.1:1/nothing")
    async with TestClient(app) as client:
        response = await client.get("/health/ready")
    response.assert_status(503).assert_json(
        {"message": "Service Unavailable: database", "checks": {"database": "failed"}}
    )


async def test_a_hung_back_end_times_out_quickly(
    make_http_app: MakeHttpApp, silent_port: int
) -> None:
    app = make_http_app(REDIS_URL=f"redis://127.0.0.1:{silent_port}/0", HEALTH_CHECK_TIMEOUT="0.3")
    async with TestClient(app) as client:
        started = time.monotonic()
        response = await client.get("/health/ready")
        elapsed = time.monotonic() - started
    response.assert_status(503).assert_json({"checks": {"database": "ok", "redis": "timeout"}})
    assert elapsed < 2.0
