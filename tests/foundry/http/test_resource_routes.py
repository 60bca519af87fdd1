"""Routes, route-model binding and authorization (issue 16, items 7, 8 and 9), on SQLite and
PostgreSQL: ``api_resource`` with ``authorize=Post``, ``Bound[Post]``, ``scope_bindings``,
``FormRequest.user()``/``authorize()`` through the gate, ``authorize()`` in a controller, unique
route names and ``url_for``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.database.scopes import without_global_scopes
from foundry.http.app import create_app
from foundry.http.kernel import HttpKernel
from foundry.http.resource_routes import api_resource
from foundry.http.route_group import RouteGroup
from foundry.http.routing import DuplicateRouteName
from foundry.http.urls import url_for
from foundry.kernel.application import Application
from foundry.permissions import AccessGate, Permission
from foundry.testing import TestClient
from foundry.testing.queries import count_queries
from tests.foundry.testbench import posts
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User
from tests.foundry.testbench.posts import Board, Post, PostController, PostPolicy


@pytest.fixture
async def people(session: AsyncSession, db: AsyncConnection) -> tuple[User, User]:
    """Ada (author of posts 101 and 103, may create posts) and Bob; boards 1 and 2; post 102 is Bob's
    and post 104 is soft-deleted."""
    await db.run_sync(posts.PostsBase.metadata.create_all)
    ada = await UserFactory.new().create(session, name="Ada", email="ada@example.com")
    bob = await UserFactory.new().create(session, name="Bob", email="bob@example.com")
    await Permission.find_or_create(session, "posts.create")
    await ada.give_permission_to("posts.create", session=session)
    session.add_all([Board(id=1, name="news"), Board(id=2, name="misc")])
    await session.flush()
    session.add_all(
        [
            Post(id=101, board_id=1, author_id=ada.id, title="Hello"),
            Post(id=102, board_id=1, author_id=bob.id, title="Bob's"),
            Post(id=103, board_id=2, author_id=ada.id, title="Misc"),
        ]
    )
    gone = Post(id=104, board_id=1, author_id=ada.id, title="Gone")
    gone.soft_delete()
    session.add(gone)
    await session.commit()
    return ada, bob


@pytest.fixture
def app(application: Application) -> FastAPI:
    application.container.make(AccessGate).policy(Post, PostPolicy)
    built = create_app(application)
    extra = APIRouter()
    extra.add_api_route("/posts/{post}/rename", posts.rename_unchecked, methods=["POST"])
    extra.add_api_route("/edit/{post}", posts.edit_title, methods=["PATCH"])
    extra.add_api_route("/trashed/{post}", posts.show_with_trashed, methods=["GET"])
    extra.add_api_route("/boards/{board}/posts/{post}", posts.show_on_board, methods=["GET"])
    api = RouteGroup(HttpKernel.of(built), "api", prefix="/v1")
    api.resource("posts", PostController, authorize=Post).include(extra)
    return built


@pytest.fixture
async def client(app: FastAPI, db: AsyncConnection) -> AsyncIterator[TestClient]:
    async with TestClient(app) as test_client:
        yield test_client


async def test_api_resource_registers_the_five_named_routes(app: FastAPI) -> None:
    routes = {
        (name, method)
        for route in app.routes
        for name in [getattr(route, "name", "")]
        if name.startswith("posts.")
        for method in getattr(route, "methods", ())
    }
    assert routes == {
        ("posts.index", "GET"),
        ("posts.store", "POST"),
        ("posts.show", "GET"),
        ("posts.update", "PUT"),
        ("posts.update", "PATCH"),
        ("posts.destroy", "DELETE"),
    }
    assert app.url_path_for("posts.show", post="101") == "/v1/posts/101"
    parameters = app.openapi()["paths"]["/v1/posts/{post}"]["patch"]["parameters"]
    assert [(p["name"], p["in"]) for p in parameters] == [("post", "path")]
    assert url_for("posts.show", post=101) == "http://127.0.0.1:8000/v1/posts/101"
    assert url_for("posts.index", absolute=False) == "/v1/posts"


async def test_a_route_name_registered_twice_fails_at_boot(app: FastAPI) -> None:
    with pytest.raises(DuplicateRouteName, match="'posts.index' is already taken by /v1/posts"):
        HttpKernel.of(app).include(api_resource("posts", PostController), prefix="/v2")


async def test_crud_through_the_policy(client: TestClient, people: tuple[User, User]) -> None:
    ada, bob = people
    client.acting_as(ada)
    assert [p["title"] for p in (await client.get("/v1/posts")).assert_ok().json()] == [
        "Hello",
        "Bob's",
        "Misc",
    ]
    assert (await client.get("/v1/posts/101")).assert_ok().json()["title"] == "Hello"
    created = await client.post("/v1/posts", json={"board_id": 2, "title": "New"})
    assert created.status_code == 201
    assert (await client.put("/v1/posts/101", json={"title": "Hi"})).assert_ok().json() == {
        "id": 101,
        "title": "Hi",
    }
    assert (await client.patch("/v1/posts/101", json={"title": "Hey"})).status_code == 200
    denied = await client.patch("/v1/posts/102", json={"title": "Mine now"})
    assert denied.status_code == 403
    assert denied.json()["error"] == "forbidden"
    assert (await client.delete("/v1/posts/102")).status_code == 403
    assert (await client.delete("/v1/posts/101")).status_code == 204
    assert (await client.get("/v1/posts/101")).status_code == 404

    client.acting_as(bob)
    refused = await client.post("/v1/posts", json={"board_id": 1, "title": "No"})
    assert refused.status_code == 403
    client.without_token()
    assert (await client.get("/v1/posts")).status_code == 401


async def test_deleted_post_stays_in_the_table_soft_deleted(
    client: TestClient, people: tuple[User, User], session: AsyncSession
) -> None:
    client.acting_as(people[0])
    (await client.delete("/v1/posts/103")).assert_status(204)
    stmt = without_global_scopes(select(Post).where(Post.id == 103))
    row = (await session.scalars(stmt)).one()
    assert row.deleted_at is not None


async def test_binding_answers_404_422_and_skips_trashed(
    client: TestClient, people: tuple[User, User]
) -> None:
    client.acting_as(people[0])
    missing = await client.get("/v1/posts/999")
    assert missing.status_code == 404
    assert missing.json() == {"message": "Post 999 not found.", "error": "not_found"}
    assert (await client.get("/v1/posts/104")).status_code == 404
    assert (await client.get("/v1/trashed/104")).assert_ok().json()["title"] == "Gone"
    for bad in ("0", "2147483648", "abc"):
        answer = await client.get(f"/v1/posts/{bad}")
        assert answer.status_code == 422, bad
        assert "post" in answer.json()["errors"]


async def test_scope_bindings_load_a_child_of_the_parent_only(
    client: TestClient, people: tuple[User, User]
) -> None:
    assert (await client.get("/v1/boards/1/posts/101")).assert_ok().json()["title"] == "Hello"
    assert (await client.get("/v1/boards/2/posts/101")).status_code == 404
    assert (await client.get("/v1/boards/9/posts/101")).status_code == 404


async def test_form_request_authorize_asks_the_gate_for_its_user(
    client: TestClient, people: tuple[User, User]
) -> None:
    ada, bob = people
    # /v1/edit/{post} has no policy dependency: UpdatePostRequest.authorize() asks
    # Gate.allows("update", self.route("post")) for the user FormRequest.user() found.
    client.acting_as(bob)
    denied = await client.patch("/v1/edit/101", json={"title": "Mine"})
    assert denied.status_code == 403
    assert denied.json()["error"] == "forbidden"
    client.acting_as(ada)
    assert (await client.patch("/v1/edit/101", json={"title": "Ok"})).assert_ok().json() == {
        "id": 101,
        "title": "Ok",
    }
    client.without_token()
    assert (await client.patch("/v1/edit/101", json={"title": "Guest"})).status_code == 403


async def test_authorize_helper_in_a_controller_answers_403(
    client: TestClient, people: tuple[User, User]
) -> None:
    ada, bob = people
    client.acting_as(bob)
    answer = await client.post("/v1/posts/101/rename")
    assert answer.status_code == 403
    assert set(answer.json()) == {"message", "error"}
    client.acting_as(ada)
    assert (await client.post("/v1/posts/101/rename")).assert_ok().json()["id"] == 101


async def test_the_policy_check_and_the_endpoint_share_one_load(
    client: TestClient, people: tuple[User, User], db: AsyncConnection
) -> None:
    client.acting_as(people[0])
    with count_queries(db) as counter:
        (await client.patch("/v1/posts/101", json={"title": "Once"})).assert_ok()
    loads = [s for s in counter.statements if s.lstrip().upper().startswith("SELECT")]
    assert len([s for s in loads if "FROM tb_posts" in s]) == 1, counter.statements


def test_nested_and_partial_resources_and_missing_actions() -> None:
    nested = api_resource("boards.posts", PostController, only=["index", "show"])
    assert {(route.path, route.name) for route in nested.routes if isinstance(route, APIRoute)} == {
        ("/boards/{board}/posts", "boards.posts.index"),
        ("/boards/{board}/posts/{post}", "boards.posts.show"),
    }
    people = api_resource("people", PostController, except_=["destroy", "update"])
    assert sorted(route.path for route in people.routes if isinstance(route, APIRoute)) == [
        "/people",
        "/people",
        "/people/{person}",
    ]

    class ReadOnly:
        async def index(self) -> list[str]:
            return []

    with pytest.raises(TypeError, match=r"ReadOnly has no store\(\) for notes.store"):
        api_resource("notes", ReadOnly)
    with pytest.raises(ValueError, match="unknown resource actions"):
        api_resource("notes", ReadOnly, only=["index", "edit"])
