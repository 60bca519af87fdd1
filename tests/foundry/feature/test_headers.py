"""Security headers on every response, the CSP on ``web`` HTML pages, HSTS in production, CORS."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from foundry.auth.jwt import KeyStore
from foundry.http.kernel import HttpKernel
from foundry.testing.client import TestClient
from tests.foundry.feature.conftest import MakeHttpApp

pages = APIRouter()


@pages.get("/consent", response_class=HTMLResponse)
async def consent() -> str:
    return "<html><body>Allow access?</body></html>"


async def test_every_response_carries_the_security_headers(make_http_app: MakeHttpApp) -> None:
    async with TestClient(make_http_app()) as client:
        for path in ("/health", "/does-not-exist"):
            response = await client.get(path)
            response.assert_header("X-Content-Type-Options", "nosniff")
            response.assert_header("X-Frame-Options", "DENY")
            response.assert_header("Referrer-Policy", "strict-origin-when-cross-origin")
            response.assert_header_missing("Strict-Transport-Security")


async def test_hsts_only_in_production(make_http_app: MakeHttpApp, tmp_path: Path) -> None:
    KeyStore(tmp_path / "keys").generate()
    app = make_http_app(
        APP_ENV="production",
        JWT_KEYS_PATH=str(tmp_path / "keys"),
        TRUSTED_HOSTS="testserver",
        MAIL_MAILER="smtp",
    )
    async with TestClient(app) as client:
        response = await client.get("/health")
    response.assert_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


async def test_security_headers_can_be_turned_off(make_http_app: MakeHttpApp) -> None:
    async with TestClient(make_http_app(SECURITY_HEADERS="false")) as client:
        response = await client.get("/health")
    response.assert_ok().assert_header_missing("X-Frame-Options")


async def test_web_group_html_pages_get_a_content_security_policy(
    make_http_app: MakeHttpApp,
) -> None:
    app = make_http_app()
    HttpKernel.of(app).include(pages, group="web", prefix="/oauth")
    async with TestClient(app) as client:
        page = await client.get("/oauth/consent")
        json_response = await client.get("/health")
    page.assert_ok().assert_header("Content-Security-Policy")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    json_response.assert_header_missing("Content-Security-Policy")


async def test_cors_preflight_from_an_allowed_origin(make_http_app: MakeHttpApp) -> None:
    app = make_http_app(CORS_ALLOWED_ORIGINS="https://spa.example.com, https://admin.example.com")
    async with TestClient(app) as client:
        response = await client.options(
            "/health",
            headers={
                "Origin": "https://admin.example.com",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "Authorization, Content-Type",
            },
        )
    response.assert_status(204)
    response.assert_header("Access-Control-Allow-Origin", "https://admin.example.com")
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()
    response.assert_header("Access-Control-Max-Age", "600").assert_header("X-Request-ID")


async def test_cors_lets_scripts_read_the_request_id(make_http_app: MakeHttpApp) -> None:
    app = make_http_app(CORS_ALLOWED_ORIGINS="https://spa.example.com")
    async with TestClient(app) as client:
        response = await client.get("/health", headers={"Origin": "https://spa.example.com"})
    response.assert_header("Access-Control-Allow-Origin", "https://spa.example.com")
    assert "x-request-id" in response.headers["Access-Control-Expose-Headers"].lower()


async def test_cors_refuses_other_origins(make_http_app: MakeHttpApp) -> None:
    app = make_http_app(CORS_ALLOWED_ORIGINS="https://spa.example.com")
    async with TestClient(app) as client:
        preflight = await client.options(
            "/health",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        )
        simple = await client.get("/health", headers={"Origin": "https://evil.example"})
    preflight.assert_status(403).assert_header_missing("Access-Control-Allow-Origin")
    preflight.assert_json({"error": "cors_refused"})
    simple.assert_ok().assert_header_missing("Access-Control-Allow-Origin")
    simple.assert_header("Vary", "Origin")


async def test_without_configured_origins_cors_is_off(make_http_app: MakeHttpApp) -> None:
    async with TestClient(make_http_app()) as client:
        response = await client.get("/health", headers={"Origin": "https://spa.example.com"})
    response.assert_ok().assert_header_missing("Access-Control-Allow-Origin")


async def test_untrusted_host_is_refused(make_http_app: MakeHttpApp) -> None:
    app = make_http_app(TRUSTED_HOSTS="api.example.com,*.internal.example.com")
    async with TestClient(app, base_url="http://evil.example") as client:
        refused = await client.get("/health")
    async with TestClient(app, base_url="https://api.example.com") as client:
        served = await client.get("/health")
    async with TestClient(app, base_url="http://node-1.internal.example.com:8000") as client:
        wildcard = await client.get("/health")
    refused.assert_status(400).assert_exact_json(
        {"message": "Invalid host header.", "error": "invalid_host"}
    )
    served.assert_ok()
    wildcard.assert_ok()
