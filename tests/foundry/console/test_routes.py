"""``route:list``: the app's routes with their action and middleware group."""

from __future__ import annotations

import json

from fastapi import APIRouter

from foundry.console.commands.routes import collect_routes
from foundry.http.kernel import HttpKernel
from tests.conftest import MakeApplication
from tests.foundry.console.helpers import artisan


def _row(output: str, uri: str) -> list[str]:
    for line in output.splitlines():
        cells = line.split()
        if len(cells) > 1 and cells[1] == uri:
            return cells
    raise AssertionError(f"{uri} not listed in:\n{output}")


def test_lists_the_health_routes_with_their_actions() -> None:
    result = artisan("route:list")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split() == [
        "Method",
        "URI",
        "Name",
        "Action",
        "Middleware",
    ]
    assert _row(result.stdout, "/health") == [
        "GET",
        "/health",
        "alive",
        "foundry.http.controllers.health.alive",
    ]
    assert _row(result.stdout, "/health/ready")[0] == "GET"
    assert "Showing [" in result.stdout


def test_json_lists_every_route_as_an_object() -> None:
    result = artisan("route:list", "--json")

    routes = json.loads(result.stdout)
    health = next(route for route in routes if route["uri"] == "/health")
    assert health == {
        "method": "GET",
        "uri": "/health",
        "name": "alive",
        "action": "foundry.http.controllers.health.alive",
        "middleware": "",
    }


def test_method_and_path_filter_the_routes() -> None:
    by_path = json.loads(artisan("route:list", "--json", "--path", "/health").stdout)
    assert {route["uri"] for route in by_path} == {"/health", "/health/ready"}

    by_method = artisan("route:list", "--method", "trace")
    assert by_method.exit_code == 0
    assert "doesn't have any routes matching the given criteria" in by_method.stdout


def test_without_api_docs_the_docs_routes_are_gone() -> None:
    routes = json.loads(artisan("route:list", "--json", env={"API_DOCS": "false"}).stdout)

    assert "/docs" not in {route["uri"] for route in routes}
    assert "/health" in {route["uri"] for route in routes}


def test_routes_in_a_middleware_group_name_the_group(make_application: MakeApplication) -> None:
    kernel = HttpKernel(make_application())
    users = APIRouter()

    @users.get("/users/{user_id}", name="users.show")
    async def show(user_id: int) -> dict[str, int]:
        return {"id": user_id}

    @users.api_route("/users", methods=["POST", "PUT"], name="users.store")
    async def store() -> dict[str, str]:
        return {}

    pages = APIRouter()

    @pages.get("/consent", name="consent")
    async def consent() -> dict[str, str]:
        return {}

    kernel.include(users, group="api", prefix="/api/v1")
    kernel.include(pages, group="web", prefix="/oauth")

    rows = {row.uri: row for row in collect_routes(kernel.app)}

    assert rows["/api/v1/users/{user_id}"].middleware == "api"
    assert rows["/api/v1/users/{user_id}"].name == "users.show"
    assert rows["/api/v1/users"].method == "POST|PUT"
    assert rows["/oauth/consent"].middleware == "web"
    assert rows["/oauth/consent"].action.endswith("consent")
    assert rows["/openapi.json"].middleware == ""
