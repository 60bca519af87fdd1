"""``Inject[Service]`` resolves services from the request's container scope."""

from __future__ import annotations

import itertools
import logging

import pytest
from fastapi import APIRouter, FastAPI

from foundry.config.app import AppSettings
from foundry.http.dependencies import Inject
from foundry.http.kernel import HttpKernel
from foundry.kernel.application import Application
from foundry.testing.client import TestClient
from tests.foundry.feature.conftest import MakeHttpApp

_ids = itertools.count(1)


class UnitOfWork:
    """Scoped: one per request, closed when the request ends."""

    def __init__(self) -> None:
        self.id = next(_ids)
        self.closed = False


class Greeter:
    """Autowired: its constructor parameters come from the container."""

    def __init__(self, settings: AppSettings, work: UnitOfWork) -> None:
        self.settings = settings
        self.work = work

    def greet(self, name: str) -> str:
        return f"Hello {name}, from {self.settings.name}"


router = APIRouter()


@router.get("/greet/{name}")
async def greet(name: str, greeter: Inject[Greeter], work: Inject[UnitOfWork]) -> dict[str, object]:
    return {
        "greeting": greeter.greet(name),
        "work": work.id,
        "shared": greeter.work is work,
        "closed_during_request": work.closed,
    }


def _app(make_http_app: MakeHttpApp, closed: list[int]) -> FastAPI:
    app = make_http_app(APP_NAME="Foundry Test")
    application: Application = app.state.application

    def close(work: UnitOfWork) -> None:
        work.closed = True
        closed.append(work.id)

    application.container.scoped(UnitOfWork, on_close=close)
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    return app


async def test_inject_autowires_constructor_parameters(make_http_app: MakeHttpApp) -> None:
    async with TestClient(_app(make_http_app, [])) as client:
        response = await client.get("/api/greet/Ada")
    response.assert_ok().assert_json({"greeting": "Hello Ada, from Foundry Test"})


async def test_scoped_service_is_shared_within_a_request_only(make_http_app: MakeHttpApp) -> None:
    closed: list[int] = []
    async with TestClient(_app(make_http_app, closed)) as client:
        first = (await client.get("/api/greet/Ada")).assert_ok().json()
        second = (await client.get("/api/greet/Grace")).assert_ok().json()
    assert first["shared"] is True and second["shared"] is True
    assert first["work"] != second["work"]
    assert first["closed_during_request"] is False
    # Each request's scope was closed once its response had been sent.
    assert closed == [first["work"], second["work"]]


async def test_a_scope_that_fails_to_close_after_the_response_is_logged_not_sent(
    make_http_app: MakeHttpApp, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_http_app()
    application: Application = app.state.application

    def close(work: UnitOfWork) -> None:
        raise RuntimeError("could not release the connection")

    application.container.scoped(UnitOfWork, on_close=close)
    HttpKernel.of(app).include(router, prefix="/api")
    with caplog.at_level(logging.ERROR, logger="foundry.http"):
        async with TestClient(app) as client:
            response = await client.get("/api/greet/Ada")
    response.assert_ok()
    assert any("could not release" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
