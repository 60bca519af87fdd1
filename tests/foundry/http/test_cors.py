"""CORS decisions: who gets which headers, and which preflights are refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from foundry.http.middleware.cors import CorsMiddleware


async def _ok(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def _call(
    middleware: CorsMiddleware, method: str, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    raw = [(k.replace("_", "-").lower().encode(), v.encode()) for k, v in headers.items()]
    scope: dict[str, Any] = {"type": "http", "method": method, "path": "/", "headers": raw}
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    await middleware(scope, receive, send)
    start = sent[0]
    names: dict[str, str] = {}
    for key, value in start["headers"]:
        name = key.decode().lower()
        names[name] = f"{names[name]}, {value.decode()}" if name in names else value.decode()
    return start["status"], names, b"".join(m.get("body", b"") for m in sent[1:])


def _cors(**options: Any) -> CorsMiddleware:
    options.setdefault("allow_origins", ["https://app.example.com"])
    return CorsMiddleware(_ok, **options)


async def test_same_origin_requests_only_get_vary() -> None:
    status, headers, _ = await _call(_cors(), "GET")
    assert status == 200 and headers == {"vary": "Origin"}


async def test_allowed_origin_is_echoed_with_exposed_headers() -> None:
    middleware = _cors(expose_headers=["X-Request-ID"], allow_credentials=True)
    _, headers, _ = await _call(middleware, "GET", origin="https://app.example.com")
    assert headers["access-control-allow-origin"] == "https://app.example.com"
    assert headers["access-control-allow-credentials"] == "true"
    assert headers["access-control-expose-headers"] == "X-Request-ID"


async def test_any_origin_answers_star_and_refuses_to_combine_with_credentials() -> None:
    _, anonymous, _ = await _call(_cors(allow_origins=["*"]), "GET", origin="https://x.test")
    assert anonymous["access-control-allow-origin"] == "*"
    with pytest.raises(ValueError, match="cannot be combined with CORS_ALLOW_CREDENTIALS"):
        _cors(allow_origins=["*"], allow_credentials=True)


async def test_preflight_lists_methods_and_echoes_requested_headers() -> None:
    middleware = _cors(allow_methods=["GET", "POST"], allow_headers=["Authorization"], max_age=60)
    status, headers, _ = await _call(
        middleware,
        "OPTIONS",
        origin="https://app.example.com",
        access_control_request_method="POST",
        access_control_request_headers="Authorization, Content-Type",
    )
    assert status == 204
    assert headers["access-control-allow-methods"] == "GET, POST"
    assert headers["access-control-allow-headers"] == "authorization, content-type"
    assert headers["access-control-max-age"] == "60"


async def test_preflight_refusals_say_why_in_json() -> None:
    middleware = _cors(allow_methods=["GET"], allow_headers=[])
    cases = {
        "origin": {"origin": "https://evil.test", "access_control_request_method": "GET"},
        "method": {"origin": "https://app.example.com", "access_control_request_method": "DELETE"},
        "headers": {
            "origin": "https://app.example.com",
            "access_control_request_method": "GET",
            "access_control_request_headers": "X-Secret",
        },
    }
    for what, headers in cases.items():
        status, response_headers, body = await _call(middleware, "OPTIONS", **headers)
        assert status == 403 and "access-control-allow-origin" not in response_headers
        payload = json.loads(body)
        assert payload["error"] == "cors_refused" and what in payload["message"]


async def test_a_plain_options_request_is_not_a_preflight() -> None:
    status, headers, _ = await _call(_cors(), "OPTIONS", origin="https://app.example.com")
    assert status == 200 and headers["access-control-allow-origin"] == "https://app.example.com"
