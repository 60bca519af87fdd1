"""The pure ASGI middleware, driven directly with hand-made ASGI messages."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from foundry.http.middleware.body_limit import MaxBodySizeMiddleware
from foundry.http.middleware.request_id import RequestIdMiddleware, is_valid_request_id
from foundry.http.middleware.security_headers import SecurityHeadersMiddleware
from foundry.http.middleware.trusted_hosts import host_allowed
from foundry.kernel.logging import current_request_id


def _scope(headers: list[tuple[bytes, bytes]] | None = None) -> Scope:
    return {"type": "http", "method": "POST", "path": "/", "headers": headers or []}


class Exchange:
    """Feeds request chunks to an app and records what it sends back."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = list(chunks)
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        body = self.chunks.pop(0) if self.chunks else b""
        return {"type": "http.request", "body": body, "more_body": bool(self.chunks)}

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int:
        return int(self.sent[0]["status"])

    @property
    def headers(self) -> dict[str, str]:
        return {k.decode(): v.decode() for k, v in self.sent[0]["headers"]}


def _responder(content_type: bytes, extra: list[tuple[bytes, bytes]] | None = None) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", content_type), *(extra or [])]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


async def _reading_app(scope: Scope, receive: Receive, send: Send) -> None:
    while (await receive()).get("more_body"):
        pass
    await _responder(b"text/plain")(scope, receive, send)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("0f3c9a", True),
        ("req-1.2:3_4", True),
        ("a" * 128, True),
        ("a" * 129, False),
        ("", False),
        ("has space", False),
        ("new\nline", False),
        ("-dash-first", False),
    ],
)
def test_request_id_rules(value: str, valid: bool) -> None:
    assert is_valid_request_id(value) is valid


async def test_request_id_is_current_only_during_the_request() -> None:
    seen: list[str | None] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(current_request_id())
        await _responder(b"text/plain")(scope, receive, send)

    exchange = Exchange()
    await RequestIdMiddleware(app)(
        _scope([(b"x-request-id", b"abc")]), exchange.receive, exchange.send
    )
    assert seen == ["abc"] and exchange.headers["x-request-id"] == "abc"
    assert current_request_id() is None


async def test_lifespan_passes_through_untouched() -> None:
    calls: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append(scope["type"])

    exchange = Exchange()
    await RequestIdMiddleware(app)({"type": "lifespan"}, exchange.receive, exchange.send)
    await MaxBodySizeMiddleware(app, max_body_size=0)(
        {"type": "lifespan"}, exchange.receive, exchange.send
    )
    assert calls == ["lifespan", "lifespan"] and exchange.sent == []


async def test_security_headers_add_csp_to_html_only_and_never_override() -> None:
    middleware_args: dict[str, Any] = {
        "headers": {"X-Frame-Options": "DENY"},
        "html_headers": {"Content-Security-Policy": "default-src 'self'"},
    }
    html = Exchange()
    await SecurityHeadersMiddleware(_responder(b"text/html; charset=utf-8"), **middleware_args)(
        _scope(), html.receive, html.send
    )
    assert html.headers["content-security-policy"] == "default-src 'self'"
    assert html.headers["x-frame-options"] == "DENY"

    own = Exchange()
    app = _responder(b"application/json", [(b"x-frame-options", b"SAMEORIGIN")])
    await SecurityHeadersMiddleware(app, **middleware_args)(_scope(), own.receive, own.send)
    assert own.headers["x-frame-options"] == "SAMEORIGIN"
    assert "content-security-policy" not in own.headers


async def test_body_limit_answers_413_itself_when_the_app_does_not() -> None:
    exchange = Exchange(b"a" * 6, b"b" * 6)
    await MaxBodySizeMiddleware(_reading_app, max_body_size=10)(
        _scope(), exchange.receive, exchange.send
    )
    assert exchange.status == 413
    assert b"payload_too_large" in exchange.sent[1]["body"]


async def test_body_limit_ignores_a_malformed_content_length_and_counts_instead() -> None:
    exchange = Exchange(b"a" * 4)
    scope = _scope([(b"content-length", b"lots")])
    await MaxBodySizeMiddleware(_reading_app, max_body_size=10)(
        scope, exchange.receive, exchange.send
    )
    assert exchange.status == 200


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("api.example.com", True),
        ("API.EXAMPLE.COM:443", True),
        ("eu.internal.example.com", True),
        ("internal.example.com", False),
        ("evil.com", False),
        ("api.example.com.evil.com", False),
        ("", False),
    ],
)
def test_trusted_host_patterns(host: str, allowed: bool) -> None:
    assert host_allowed(host, ["api.example.com", "*.internal.example.com"]) is allowed
