"""Trusted proxies: ``X-Forwarded-*`` are believed from ``TRUSTED_PROXIES`` only."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from pydantic import ValidationError

from foundry.http.kernel import HttpKernel
from foundry.testing.client import TestClient
from tests.foundry.feature.conftest import MakeHttpApp

router = APIRouter()


@router.get("/whoami")
async def whoami(request: Request) -> dict[str, str | None]:
    return {
        "client": request.client.host if request.client else None,
        "scheme": request.url.scheme,
        "host": request.headers.get("host"),
        "forwarded_for": request.headers.get("x-forwarded-for"),
    }


def _app(make_http_app: MakeHttpApp, **env: str) -> FastAPI:
    app = make_http_app(**env)
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    return app


def _client(app: FastAPI, peer: str) -> TestClient:
    client = TestClient(app)
    client.http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(peer, 40000)),
        base_url="http://testserver",
        headers={"Accept": "application/json"},
    )
    return client


SPOOFED = {
    "X-Forwarded-For": "198.51.100.66",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
}


async def test_by_default_nobody_is_believed(make_http_app: MakeHttpApp) -> None:
    app = _app(make_http_app)
    async with _client(app, "127.0.0.1") as client:
        response = await client.get("/api/whoami", headers=SPOOFED)

    response.assert_ok().assert_exact_json(
        {"client": "127.0.0.1", "scheme": "http", "host": "testserver", "forwarded_for": None}
    )


async def test_a_spoofed_forwarded_for_does_not_change_the_rate_limit_key(
    make_http_app: MakeHttpApp,
) -> None:
    app = _app(make_http_app, RATE_LIMIT_API_PER_MINUTE="2")
    async with _client(app, "203.0.113.7") as client:
        for n in range(2):
            (
                await client.get("/api/whoami", headers={"X-Forwarded-For": f"10.9.9.{n}"})
            ).assert_ok()
        blocked = await client.get("/api/whoami", headers={"X-Forwarded-For": "10.9.9.99"})

    blocked.assert_too_many_requests().assert_exact_json(
        {"message": "Too Many Attempts.", "error": "too_many_requests"}
    )


async def test_an_untrusted_peer_is_not_believed_even_when_proxies_are_set(
    make_http_app: MakeHttpApp,
) -> None:
    app = _app(make_http_app, TRUSTED_PROXIES="10.0.0.0/8")
    async with _client(app, "203.0.113.7") as client:
        response = await client.get("/api/whoami", headers=SPOOFED)

    assert response.json()["client"] == "203.0.113.7"
    assert response.json()["scheme"] == "http"
    assert response.json()["host"] == "testserver"


async def test_a_trusted_proxy_names_the_client_scheme_and_host(
    make_http_app: MakeHttpApp,
) -> None:
    app = _app(make_http_app, TRUSTED_PROXIES="10.0.0.0/8, 192.0.2.1")
    headers = {
        # The left part is whatever the client wrote; the hops our proxies added are trusted.
        "X-Forwarded-For": "6.6.6.6, 198.51.100.1, 10.0.0.7",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "api.example.com",
    }
    async with _client(app, "10.0.0.5") as client:
        response = await client.get("/api/whoami", headers=headers)

    response.assert_ok().assert_exact_json(
        {
            "client": "198.51.100.1",
            "scheme": "https",
            "host": "api.example.com",
            "forwarded_for": None,
        }
    )


async def test_each_client_behind_a_trusted_proxy_has_its_own_counter(
    make_http_app: MakeHttpApp,
) -> None:
    app = _app(make_http_app, TRUSTED_PROXIES="10.0.0.5", RATE_LIMIT_API_PER_MINUTE="1")
    async with _client(app, "10.0.0.5") as proxy:
        first = {"X-Forwarded-For": "198.51.100.1"}
        (await proxy.get("/api/whoami", headers=first)).assert_ok()
        (await proxy.get("/api/whoami", headers=first)).assert_too_many_requests()
        second = {"X-Forwarded-For": "198.51.100.2"}
        (await proxy.get("/api/whoami", headers=second)).assert_ok()


async def test_trusted_hosts_check_the_host_the_proxy_forwarded(
    make_http_app: MakeHttpApp,
) -> None:
    app = _app(make_http_app, TRUSTED_PROXIES="10.0.0.5", TRUSTED_HOSTS="api.example.com")
    async with _client(app, "10.0.0.5") as proxy:
        refused = await proxy.get("/api/whoami", headers={"X-Forwarded-Host": "evil.example"})
        allowed = await proxy.get("/api/whoami", headers={"X-Forwarded-Host": "api.example.com"})

    refused.assert_status(400).assert_json({"error": "invalid_host"})
    allowed.assert_ok()


def test_a_malformed_trusted_proxy_fails_at_start_up(make_http_app: MakeHttpApp) -> None:
    with pytest.raises(ValidationError, match="not an IP address or CIDR"):
        make_http_app(TRUSTED_PROXIES="10.0.0.0/8,loadbalancer")


async def test_several_forwarded_for_lines_are_one_list(make_http_app: MakeHttpApp) -> None:
    app = _app(make_http_app, TRUSTED_PROXIES="10.0.0.0/8")
    async with _client(app, "10.0.0.5") as proxy:
        # The first line is the client's (by the edge proxy), the second the inner proxy's.
        response = await proxy.get(
            "/api/whoami",
            headers=[("X-Forwarded-For", "198.51.100.1"), ("X-Forwarded-For", "10.0.0.7")],
        )
    assert response.json()["client"] == "198.51.100.1"
