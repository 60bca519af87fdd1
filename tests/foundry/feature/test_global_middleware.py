"""The global middleware run as one layer answer exactly as the same classes stacked do.

Each request below goes to two apps built alike: one whose ``GlobalMiddleware`` runs the steps
itself (what every app does) and one forced to run the stacked classes. Status, body, headers
and the access-log line must match; the one documented difference is that an answer given before
the app runs (maintenance, a refused ``Host``) carries the security headers too.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from foundry.http.kernel import HttpKernel
from foundry.http.maintenance import MaintenanceState, write_state
from foundry.http.middleware.access_log import ACCESS_LOGGER
from foundry.http.middleware.container_scope import container_of
from foundry.http.middleware.pipeline import GlobalMiddleware
from foundry.kernel.container import current_container
from foundry.kernel.errors import HttpError
from foundry.kernel.logging import current_request_id
from tests.foundry.feature.conftest import MakeHttpApp

router = APIRouter()
SECURITY = {"x-content-type-options", "x-frame-options", "referrer-policy"}


class Teapot(HttpError):
    status_code = 418
    error = "teapot"


@router.get("/ok")
async def ok(request: Request) -> dict[str, Any]:
    return {
        "client": request.client.host if request.client else None,
        "scheme": request.url.scheme,
        "request_id": current_request_id(),
        "scope_container": current_container() is container_of(request.scope),
    }


@router.get("/boom")
async def boom() -> None:
    raise RuntimeError("boom")


@router.get("/teapot")
async def teapot() -> None:
    raise Teapot("short and stout")


@router.get("/own-headers")
async def own_headers() -> JSONResponse:
    return JSONResponse({}, headers={"X-Frame-Options": "SAMEORIGIN", "X-Request-ID": "mine"})


@router.post("/echo")
async def echo(request: Request) -> dict[str, int]:
    return {"length": len(await request.body())}


class StackedOnly(GlobalMiddleware):
    """The same stack, run as nested layers."""

    def __init__(self, app: ASGIApp, *, stack: Sequence[Middleware]) -> None:
        super().__init__(app, stack=stack)
        self.fused = False


def _app(make_http_app: MakeHttpApp, down_file: Path, *, stacked: bool) -> FastAPI:
    app = make_http_app(
        CORS_ALLOWED_ORIGINS="https://app.example.com",
        TRUSTED_HOSTS="testserver,api.example.com",
        TRUSTED_PROXIES="10.0.0.0/8",
        MAX_BODY_SIZE="64",
        APP_MAINTENANCE_FILE=str(down_file),
    )
    HttpKernel.of(app).include(router, prefix="/t")
    (entry,) = app.user_middleware
    assert entry.cls is cast(object, GlobalMiddleware)
    if stacked:
        app.user_middleware = [Middleware(StackedOnly, stack=_stack_of(entry))]
    return app


def _stack_of(entry: Middleware) -> Sequence[Middleware]:
    stack = entry.kwargs["stack"]
    assert isinstance(stack, list)
    return stack


Answer = tuple[int, bytes, list[tuple[str, str]], list[tuple[str, str, int]]]


async def _ask(
    app: FastAPI, caplog: pytest.LogCaptureFixture, peer: str, request: httpx.Request
) -> Answer:
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    caplog.clear()
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.send(request)
    logged = [
        (r.__dict__["method"], r.__dict__["path"], r.__dict__["status"])
        for r in caplog.records
        if r.name == ACCESS_LOGGER
    ]
    headers = [(k.lower(), v) for k, v in response.headers.multi_items()]
    return response.status_code, response.content, headers, logged


@pytest.fixture
async def apps(
    make_http_app: MakeHttpApp, tmp_path: Path
) -> AsyncIterator[tuple[FastAPI, FastAPI, Path]]:
    down = tmp_path / "down"
    yield _app(make_http_app, down, stacked=False), _app(make_http_app, down, stacked=True), down


def _chunks(size: int) -> Any:
    async def body() -> AsyncIterator[bytes]:
        for _ in range(size // 16):
            yield b"x" * 16

    return body()


CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "plain": ("GET /t/ok", {}),
    "client request id": ("GET /t/ok", {"headers": {"X-Request-ID": "abc-123"}}),
    "insane request id": ("GET /t/ok", {"headers": {"X-Request-ID": "bad id\n"}}),
    "allowed origin": ("GET /t/ok", {"headers": {"Origin": "https://app.example.com"}}),
    "other origin": ("GET /t/ok", {"headers": {"Origin": "https://evil.example"}}),
    "preflight": (
        "OPTIONS /t/ok",
        {
            "headers": {
                "Origin": "https://app.example.com",
                "Access-Control-Request-Method": "POST",
            }
        },
    ),
    "refused preflight": (
        "OPTIONS /t/ok",
        {"headers": {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}},
    ),
    "untrusted forwarded": ("GET /t/ok", {"headers": {"X-Forwarded-For": "198.51.100.7"}}),
    "exception": ("GET /t/boom", {}),
    "http error": ("GET /t/teapot", {}),
    "route's own headers": ("GET /t/own-headers", {}),
    "not found": ("GET /t/nothing", {}),
    "NUL in query": ("GET /t/ok?q=%00", {}),
    "small body": ("POST /t/echo", {"content": b"hello"}),
    "declared body too large": ("POST /t/echo", {"content": b"x" * 65}),
    "streamed body too large": ("POST /t/echo", {"content": _chunks(128)}),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_one_layer_answers_as_the_stacked_classes(
    apps: tuple[FastAPI, FastAPI, Path], caplog: pytest.LogCaptureFixture, case: str
) -> None:
    fused, stacked, _ = apps
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    line, options = CASES[case]
    method, url = line.split(" ")
    answers = []
    for app in (fused, stacked):
        # A streamed body can be read once: each app gets its own.
        if case == "streamed body too large":
            options = {"content": _chunks(128)}
        request = httpx.Request(method, "http://testserver" + url, **options)
        answers.append(await _ask(app, caplog, "127.0.0.1", request))
    # Generated request ids differ between the two apps; everything else must not.
    (status, body, headers, logged), expected = (_without_request_id(a) for a in answers)
    assert (status, body, headers, logged) == expected


def _without_request_id(answer: Answer) -> Answer:
    status, body, headers, logged = answer
    (request_id,) = [value for name, value in headers if name == "x-request-id"]
    headers = [(k, "<id>" if k == "x-request-id" else v) for k, v in headers]
    return status, body.replace(request_id.encode(), b"<id>"), headers, logged


async def test_the_route_sees_the_trusted_proxys_client_its_id_and_its_scope(
    apps: tuple[FastAPI, FastAPI, Path], caplog: pytest.LogCaptureFixture
) -> None:
    fused, _, _ = apps
    headers = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}
    request = httpx.Request("GET", "http://testserver/t/ok", headers=headers)
    status, body, response_headers, _ = await _ask(fused, caplog, "10.0.0.5", request)

    assert status == 200
    sent_id = dict(response_headers)["x-request-id"]
    assert httpx.Response(200, content=body).json() == {
        "client": "198.51.100.7",
        "scheme": "https",
        "request_id": sent_id,
        "scope_container": True,
    }


async def test_the_routes_own_headers_win_but_not_its_request_id(
    apps: tuple[FastAPI, FastAPI, Path], caplog: pytest.LogCaptureFixture
) -> None:
    fused, _, _ = apps
    request = httpx.Request("GET", "http://testserver/t/own-headers")
    _, _, headers, _ = await _ask(fused, caplog, "127.0.0.1", request)

    assert [v for k, v in headers if k == "x-frame-options"] == ["SAMEORIGIN"]
    assert [v for k, v in headers if k == "x-request-id"] != ["mine"]
    assert len([k for k, _ in headers if k == "x-request-id"]) == 1


@pytest.mark.parametrize("case", ["maintenance", "refused host"])
async def test_early_answers_also_carry_the_security_headers(
    apps: tuple[FastAPI, FastAPI, Path], caplog: pytest.LogCaptureFixture, case: str
) -> None:
    fused, stacked, down = apps
    host = "testserver"
    if case == "maintenance":
        write_state(down, MaintenanceState(time=0.0, retry=30))
    else:
        host = "evil.example"
    answers = []
    for app in (fused, stacked):
        request = httpx.Request("GET", "http://testserver/t/ok", headers={"Host": host})
        answers.append(await _ask(app, caplog, "127.0.0.1", request))
    (status, body, headers, logged), expected = answers

    assert (status, body, logged) == (expected[0], expected[1], expected[3])
    assert status == (503 if case == "maintenance" else 400)
    added = [(k, v) for k, v in headers if (k, v) not in expected[2] and k != "x-request-id"]
    assert {k for k, _ in added} == SECURITY


async def test_websockets_and_unknown_stacks_go_through_the_stacked_classes() -> None:
    seen: list[Any] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append((scope["type"], scope["state"].get("request_id") is not None))

    class Unknown:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            seen.append("unknown")
            await self.app(scope, receive, send)

    from foundry.http.middleware.request_id import RequestIdMiddleware

    known = GlobalMiddleware(inner, stack=[Middleware(RequestIdMiddleware)])
    unknown = GlobalMiddleware(inner, stack=[Middleware(RequestIdMiddleware), Middleware(Unknown)])
    assert not known.fused  # no container scope: it cannot run a request itself
    assert not unknown.fused

    async def nothing() -> dict[str, Any]:
        return {}

    async def ignore(message: Any) -> None:
        return None

    await unknown({"type": "http", "headers": [], "state": {}}, nothing, ignore)
    await known({"type": "websocket", "headers": [], "state": {}}, nothing, ignore)
    assert seen == ["unknown", ("http", True), ("websocket", True)]


@pytest.mark.parametrize("stacked", [False, True])
async def test_a_body_read_past_the_limit_outside_a_route_is_a_413(
    make_http_app: MakeHttpApp, tmp_path: Path, caplog: pytest.LogCaptureFixture, stacked: bool
) -> None:
    app = _app(make_http_app, tmp_path / "down", stacked=stacked)
    (entry,) = app.user_middleware

    async def reads_everything(scope: Any, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass  # raises BodyTooLargeError once past MAX_BODY_SIZE
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    layer = GlobalMiddleware(reads_everything, stack=_stack_of(entry))
    transport = httpx.ASGITransport(app=layer)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post("/", content=_chunks(128))

    assert response.status_code == 413
    assert response.json()["message"] == "The request body may not be larger than 64 bytes."
    assert response.headers["x-content-type-options"] == "nosniff"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
