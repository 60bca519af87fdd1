"""The access log: one JSON line per request with what operators need, and no secrets."""

from __future__ import annotations

import io
import json
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from foundry.http.kernel import HttpKernel
from foundry.kernel.logging import configure_logging
from foundry.testing.client import TestClient
from tests.foundry.feature.conftest import MakeHttpApp


class Login(BaseModel):
    email: str
    password: str


router = APIRouter()


@router.post("/login")
async def login(form: Login) -> dict[str, str]:
    return {"token": "issued-token-value"}


def _access_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    return [line for line in lines if line["logger"] == "foundry.http.access"]


async def test_access_line_has_method_path_status_duration_id_and_client(
    make_http_app: MakeHttpApp,
) -> None:
    app = make_http_app()
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    stream = io.StringIO()
    async with TestClient(app) as client:
        configure_logging(stream=stream)
        await client.post(
            "/api/login",
            json={"email": "ada@example.com", "password": "correct horse"},
            headers={"X-Request-ID": "login-1"},
        )
        await client.get("/missing")

    login_line, missing_line = _access_lines(stream)
    assert login_line["method"] == "POST"
    assert login_line["path"] == "/api/login"
    assert login_line["status"] == 200
    assert login_line["request_id"] == "login-1"
    assert login_line["client"] == "127.0.0.1"
    assert isinstance(login_line["duration_ms"], float) and login_line["duration_ms"] >= 0
    assert login_line["message"] == "POST /api/login 200"
    assert missing_line["status"] == 404 and missing_line["path"] == "/missing"


async def test_access_log_never_contains_credentials_bodies_or_query_strings(
    make_http_app: MakeHttpApp,
) -> None:
    app = make_http_app()
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    stream = io.StringIO()
    async with TestClient(app) as client:
        configure_logging(stream=stream)
        client.with_token("bearer-secret-abc123")
        await client.post(
            "/api/login?signature=query-secret-xyz",
            json={"email": "ada@example.com", "password": "correct horse"},
            headers={"Cookie": "session=cookie-secret-789"},
        )

    assert _access_lines(stream), "no access line was written"
    # Everything the app wrote; the test client's own "httpx" lines are not the app's.
    written = "\n".join(
        line for line in stream.getvalue().splitlines() if '"logger": "httpx"' not in line
    )
    for secret in (
        "bearer-secret-abc123",
        "correct horse",
        "ada@example.com",
        "query-secret-xyz",
        "cookie-secret-789",
        "issued-token-value",
    ):
        assert secret not in written


async def test_access_log_can_be_turned_off(make_http_app: MakeHttpApp) -> None:
    app = make_http_app(ACCESS_LOG="false")
    stream = io.StringIO()
    async with TestClient(app) as client:
        configure_logging(stream=stream)
        (await client.get("/health")).assert_ok()
    assert _access_lines(stream) == []
