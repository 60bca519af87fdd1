"""The static-path index: a route registered last is found without walking the ones before it,
and every request is answered as plain FastAPI answers it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.types import Scope

from foundry.http.app import create_app
from foundry.http.kernel import HttpKernel
from foundry.http.route_index import IndexedRouter, index_routes, static_path_index
from foundry.http.routing import add_router
from foundry.kernel.application import Application
from foundry.testing import TestClient


def _endpoint(label: str) -> Callable[..., Any]:
    async def endpoint() -> dict[str, str]:
        return {"route": label}

    return endpoint


def _register(app: FastAPI) -> None:
    """The same routes, in the same order, on the app under test and on the reference app."""
    app.add_api_route("/items/{name}", _endpoint("item by name"), methods=["GET"])
    app.add_api_route("/items/special", _endpoint("special item"), methods=["GET"])
    app.add_api_route("/orders", _endpoint("orders index"), methods=["GET"])
    app.add_api_route("/orders", _endpoint("orders store"), methods=["POST"])
    app.add_api_route("/orders/{order_id:int}", _endpoint("order"), methods=["GET", "DELETE"])
    app.add_api_route("/orders/latest", _endpoint("latest order"), methods=["GET"])
    app.add_api_route("/slash/", _endpoint("with slash"), methods=["GET"])
    app.add_api_route("/put-only", _endpoint("put only"), methods=["PUT"])
    app.add_api_route("/late-dynamic", _endpoint("static first"), methods=["PATCH"])
    app.add_api_route("/{anything}", _endpoint("catch-all"), methods=["GET"])
    app.mount("/static", PlainTextResponse("mounted"))
    app.add_api_route("/static", _endpoint("shadowed by nothing"), methods=["GET"])


def _indexed() -> FastAPI:
    app = FastAPI()
    index_routes(app)
    _register(app)
    return app


def _plain() -> FastAPI:
    app = FastAPI()
    _register(app)
    return app


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def _answer(response: httpx.Response) -> tuple[int, str, str | None, str | None]:
    headers = response.headers
    return response.status_code, response.text, headers.get("allow"), headers.get("location")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/items/special"),
        ("GET", "/items/other"),
        ("GET", "/orders"),
        ("POST", "/orders"),
        ("DELETE", "/orders"),
        ("HEAD", "/orders"),
        ("GET", "/orders/7"),
        ("PUT", "/orders/7"),
        ("GET", "/orders/latest"),
        ("DELETE", "/orders/latest"),
        ("GET", "/orders/"),
        ("GET", "/slash"),
        ("GET", "/slash/"),
        ("GET", "/put-only"),
        ("PUT", "/put-only"),
        ("PATCH", "/late-dynamic"),
        ("GET", "/late-dynamic"),
        ("POST", "/late-dynamic"),
        ("GET", "/static"),
        ("GET", "/static/file.txt"),
        ("GET", "/nowhere/at/all"),
        ("POST", "/"),
    ],
)
async def test_every_answer_is_plain_fastapis(method: str, path: str) -> None:
    async with _client(_indexed()) as ours, _client(_plain()) as theirs:
        mine = await ours.request(method, path, follow_redirects=False)
        reference = await theirs.request(method, path, follow_redirects=False)
    assert _answer(mine) == _answer(reference)


async def test_an_earlier_dynamic_route_that_matches_a_static_path_still_wins() -> None:
    async with _client(_indexed()) as client:
        assert (await client.get("/items/special")).json() == {"route": "item by name"}
        # `{order_id:int}` does not match "latest", so the static route registered later answers.
        assert (await client.get("/orders/latest")).json() == {"route": "latest order"}
        # `/{anything}`, registered after `/orders`, loses to it; `/late-dynamic` answers GET
        # through the catch-all registered after it: a full match beats an earlier 405.
        assert (await client.get("/orders")).json() == {"route": "orders index"}
        assert (await client.get("/late-dynamic")).json() == {"route": "catch-all"}


def test_the_index_lists_only_routes_that_could_match_in_registration_order() -> None:
    app = _indexed()
    index = static_path_index(app.router.routes)
    assert [route.path for route in index["/orders"] if isinstance(route, Route)] == [
        "/orders",
        "/orders",
        "/{anything}",
    ]
    assert isinstance(index["/orders"][-1], Mount)  # a mount is always a candidate
    assert [r.path for r in index["/items/special"] if isinstance(r, Route)] == [
        "/items/{name}",
        "/items/special",
    ]


class _CountingMatches:
    """Counts the calls of one route's ``matches``, keeping its answers."""

    def __init__(self, route: BaseRoute) -> None:
        self.calls = 0
        self._matches = route.matches

    def __call__(self, scope: Scope) -> tuple[Match, Scope]:
        self.calls += 1
        return self._matches(scope)


async def test_a_static_route_registered_after_500_routes_skips_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = _indexed()
    app.router.routes.clear()
    for number in range(250):
        app.add_api_route(f"/static-{number}", _endpoint(f"static {number}"), methods=["GET"])
        app.add_api_route(f"/dynamic-{number}/{{id}}", _endpoint("dynamic"), methods=["GET"])
    app.add_api_route("/last", _endpoint("last"), methods=["GET"])
    counters = [_CountingMatches(route) for route in app.router.routes[:500]]
    for route, counter in zip(app.router.routes[:500], counters, strict=True):
        monkeypatch.setattr(route, "matches", counter)

    async with _client(app) as client:
        assert (await client.get("/last")).json() == {"route": "last"}
        assert sum(counter.calls for counter in counters) == 0
        assert (await client.get("/dynamic-249/x")).json() == {"route": "dynamic"}
        not_allowed = await client.post("/last")
    assert (not_allowed.status_code, not_allowed.headers["allow"]) == (405, "GET")


async def test_routes_added_after_the_first_request_are_served() -> None:
    app = _indexed()
    async with _client(app) as client:
        assert (await client.get("/added")).json() == {"route": "catch-all"}
        app.router.routes.insert(0, Route("/added", PlainTextResponse("inserted first")))
        assert (await client.get("/added")).text == "inserted first"
        app.add_api_route("/added-later/x", _endpoint("added later"), methods=["GET"])
        assert (await client.get("/added-later/x")).json() == {"route": "added later"}
        app.router.routes.append(Mount("/mounted-later", PlainTextResponse("late mount")))
        assert (await client.get("/mounted-later/a")).text == "late mount"


def test_the_route_index_refuses_a_router_it_cannot_index() -> None:
    app = FastAPI()
    index_routes(app)
    with pytest.raises(TypeError, match="IndexedRouter"):
        index_routes(app)


async def test_the_kernels_app_serves_through_the_index(application: Application) -> None:
    app = create_app(application)
    assert isinstance(app.router, IndexedRouter)
    router = APIRouter()
    router.add_api_route("/bench", _endpoint("bench"), methods=["GET"])
    router.add_api_route("/bench/{id}", _endpoint("bench item"), methods=["GET"])
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    add_router(app, router, prefix="/plain")
    async with TestClient(app) as client:
        (await client.get("/api/bench")).assert_ok().assert_json({"route": "bench"})
        (await client.get("/plain/bench")).assert_ok()
        (await client.post("/api/bench")).assert_status(405)
        (await client.get("/api/nowhere")).assert_status(404)
