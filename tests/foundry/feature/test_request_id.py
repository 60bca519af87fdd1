"""``X-Request-ID``: kept when sane, generated otherwise, echoed, and written on every log line."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from fastapi import APIRouter
from starlette.requests import Request

from foundry.http.kernel import HttpKernel
from foundry.kernel.logging import configure_logging
from foundry.testing.client import TestClient
from tests.foundry.feature.conftest import MakeHttpApp

router = APIRouter()


@router.get("/echo")
async def echo(request: Request) -> dict[str, str]:
    # A line written deep inside the app, far from the middleware: it must carry the id too.
    logging.getLogger("app.services.example").info("doing the work")
    return {"request_id": request.state.request_id}


@router.get("/explode")
async def explode() -> None:
    raise RuntimeError("boom")


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def _client(make_http_app: MakeHttpApp, **env: str) -> TestClient:
    app = make_http_app(**env)
    HttpKernel.of(app).include(router, prefix="/t")
    return TestClient(app)


async def test_a_sane_incoming_id_is_kept_and_echoed(make_http_app: MakeHttpApp) -> None:
    async with await _client(make_http_app) as client:
        response = await client.get("/t/echo", headers={"X-Request-ID": "req-2024.01:abc_DEF"})
    response.assert_ok().assert_header("X-Request-ID", "req-2024.01:abc_DEF")
    response.assert_json({"request_id": "req-2024.01:abc_DEF"})


@pytest.mark.parametrize(
    "incoming",
    ["", "a" * 129, "abc def", "x\r\nSet-Cookie: evil", '{"forged": "json"}', "-leading-dash"],
)
async def test_an_unsafe_incoming_id_is_replaced(make_http_app: MakeHttpApp, incoming: str) -> None:
    async with await _client(make_http_app) as client:
        response = await client.get("/t/echo", headers={"X-Request-ID": incoming.encode()})
    generated = response.assert_ok().headers["X-Request-ID"]
    assert generated != incoming
    assert len(generated) == 32 and generated.isalnum()


async def test_each_request_gets_its_own_generated_id(make_http_app: MakeHttpApp) -> None:
    async with await _client(make_http_app) as client:
        first = (await client.get("/t/echo")).headers["X-Request-ID"]
        second = (await client.get("/t/echo")).headers["X-Request-ID"]
    assert first != second


async def test_incoming_id_ignored_when_not_trusted(make_http_app: MakeHttpApp) -> None:
    async with await _client(make_http_app, TRUST_REQUEST_ID="false") as client:
        response = await client.get("/t/echo", headers={"X-Request-ID": "from-the-client"})
    assert response.assert_ok().headers["X-Request-ID"] != "from-the-client"


async def test_error_responses_carry_the_id(make_http_app: MakeHttpApp) -> None:
    async with await _client(make_http_app) as client:
        for path, status in (("/nowhere", 404), ("/t/explode", 500), ("/t/echo?x", 200)):
            response = await client.get(path, headers={"X-Request-ID": f"id-{status}"})
            response.assert_status(status).assert_header("X-Request-ID", f"id-{status}")


async def test_every_log_line_of_a_request_carries_its_id(make_http_app: MakeHttpApp) -> None:
    async with await _client(make_http_app) as client:
        stream = io.StringIO()
        configure_logging(stream=stream)
        await client.get("/t/echo", headers={"X-Request-ID": "trace-me-1"})
        await client.get("/t/explode", headers={"X-Request-ID": "trace-me-2"})

    lines = _lines(stream)
    work = next(line for line in lines if line["message"] == "doing the work")
    assert work["request_id"] == "trace-me-1"
    assert work["logger"] == "app.services.example" and work["level"] == "INFO"
    crash = next(line for line in lines if line["level"] == "ERROR")
    assert crash["request_id"] == "trace-me-2"
    assert "RuntimeError: boom" in crash["exception"]
    access = [line for line in lines if line["logger"] == "foundry.http.access"]
    assert [line["request_id"] for line in access] == ["trace-me-1", "trace-me-2"]
