"""``route:list``: the app's routes with their action and middleware group."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends

from foundry.console.commands.routes import collect_routes
from foundry.http.auth import CurrentUser
from foundry.http.kernel import HttpKernel
from foundry.http.permissions import require_permission
from foundry.http.resource_routes import api_resource
from foundry.http.scopes import AccessToken, require_scopes
from foundry.permissions import AccessGate
from tests.conftest import MakeApplication
from tests.foundry.console.helpers import artisan
from tests.foundry.testbench.posts import Post, PostController, PostPolicy


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
        "Auth",
        "Requires",
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
        "auth": "",
        "requires": "",
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


def test_auth_and_requirements_of_each_route(make_application: MakeApplication) -> None:
    application = make_application()
    application.container.make(AccessGate).policy(Post, PostPolicy)
    kernel = HttpKernel(application)
    kernel.include(api_resource("posts", PostController, authorize=Post), group="api")
    guarded = APIRouter()

    @guarded.get("/reports", dependencies=[Depends(require_permission("reports.view"))])
    async def reports(token: AccessToken = Depends(require_scopes("reports"))) -> list[str]:
        return []

    @guarded.get("/me")
    async def me(user: CurrentUser) -> dict[str, str]:
        return {}

    @guarded.get("/open")
    async def public() -> dict[str, str]:
        return {}

    kernel.include(guarded, group="api")

    rows = {(row.method, row.uri): row for row in collect_routes(kernel.app)}

    assert rows[("GET", "/posts")].name == "posts.index"
    assert (rows[("GET", "/posts")].auth, rows[("GET", "/posts")].requires) == (
        "user",
        "policy:view_any Post",
    )
    assert rows[("PATCH", "/posts/{post}")].requires == "policy:update Post"
    assert rows[("PUT", "/posts/{post}")].name == "posts.update"
    assert rows[("DELETE", "/posts/{post}")].requires == "policy:delete Post"
    assert rows[("GET", "/reports")].auth == "user"
    assert rows[("GET", "/reports")].requires == "permission:reports.view scope:reports"
    assert (rows[("GET", "/me")].auth, rows[("GET", "/me")].requires) == ("user", "")
    assert (rows[("GET", "/open")].auth, rows[("GET", "/open")].requires) == ("", "")
