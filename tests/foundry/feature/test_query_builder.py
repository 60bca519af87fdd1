"""The query builder through a real list endpoint, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Column, DateTime, ForeignKey, Integer, Select, String, Table, event, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from foundry.database import Base, HasScopes, SoftDeletes, scope
from foundry.database.manager import DatabaseManager
from foundry.http.app import create_app
from foundry.http.dependencies import Inject
from foundry.http.kernel import HttpKernel
from foundry.http.query_builder import AllowedFilter, AllowedSort, QueryBuilder
from foundry.http.resources import JsonResource
from foundry.kernel.application import Application
from foundry.testing import TestClient


class Model(DeclarativeBase):
    """Test tables on their own metadata, with the app's column types."""

    type_annotation_map = Base.type_annotation_map


user_roles = Table(
    "qb_user_roles",
    Model.metadata,
    Column("user_id", ForeignKey("qb_users.id"), primary_key=True),
    Column("role_id", ForeignKey("qb_roles.id"), primary_key=True),
)


class Role(Model):
    __tablename__ = "qb_roles"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


class Post(Model):
    __tablename__ = "qb_posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("qb_users.id"))
    title: Mapped[str] = mapped_column(String(100))


class User(HasScopes, SoftDeletes, Model):
    __tablename__ = "qb_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    email: Mapped[str] = mapped_column(String(100))
    age: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="raise")
    posts: Mapped[list[Post]] = relationship(lazy="raise")

    @classmethod
    @scope
    def scope_email_domain(cls, domain: str, stmt: Select[Any] | None = None) -> Select[Any]:
        return (stmt if stmt is not None else select(cls)).where(cls.email.endswith(f"@{domain}"))


def adults(statement: Any, value: str, model: type[Any]) -> Any:
    return statement.where(model.age >= 18) if value == "true" else statement


router = APIRouter()


@router.get("/users")
async def index(request: Request, session: Inject[AsyncSession]) -> dict[str, Any]:
    users = await (
        QueryBuilder.for_model(User, session, request)
        .allowed_filters(
            [
                AllowedFilter.partial("name"),
                "email",
                "id",
                AllowedFilter.operator("age"),
                AllowedFilter.scope("adults", adults),
                AllowedFilter.scope("domain", scope="email_domain"),
                AllowedFilter.trashed(),
            ]
        )
        .allowed_sorts(["name", "age", AllowedSort.field("joined", "created_at")])
        .allowed_includes(["roles", "posts", "roles_count", "posts_count"])
        .allowed_fields(["id", "name", "email", "roles.name"])
        .default_sort("-joined")
        .get()
    )
    return {"data": [_present(user) for user in users]}


class UserResource(JsonResource[User]):
    def to_dict(self, request: Request) -> dict[str, Any]:
        user = self.resource
        return {
            "name": user.name,
            "roles": self.when_loaded("roles", lambda: [role.name for role in user.roles]),
        }


@router.get("/users/paged")
async def paged(request: Request, session: Inject[AsyncSession]) -> JSONResponse:
    page = await (
        QueryBuilder.for_model(User, session, request)
        .allowed_filters([AllowedFilter.operator("age"), AllowedFilter.trashed()])
        .allowed_includes(["roles"])
        .default_sort("name")
        .paginate(default_per_page=2, max_per_page=3)
    )
    return UserResource.collection(page).to_response(request)


def _present(user: User) -> dict[str, Any]:
    loaded = user.__dict__
    data: dict[str, Any] = {
        key: loaded[key] for key in ("id", "name", "email", "age") if key in loaded
    }
    if "roles" in loaded:
        data["roles"] = [role.name for role in user.roles]
    if "posts" in loaded:
        data["posts"] = [post.title for post in user.posts]
    for count in ("roles_count", "posts_count"):
        if count in loaded:
            data[count] = loaded[count]
    return data


@pytest.fixture
async def client(application: Application, db: AsyncConnection) -> AsyncIterator[TestClient]:
    await db.run_sync(Model.metadata.create_all)
    admin, editor = Role(id=1, name="admin"), Role(id=2, name="editor")
    people = [
        ("Ada Lovelace", "ada@example.com", 36, [admin, editor], 3, None),
        ("Bob Marley", "bob@example.com", 17, [editor], 0, None),
        ("Carla Bruni", "carla@example.com", 55, [], 1, None),
        ("Dan Brown", "dan@example.com", 60, [admin], 0, datetime(2024, 1, 1, tzinfo=UTC)),
    ]
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        session.add_all([admin, editor])
        for index, (name, email, age, roles, posts, deleted) in enumerate(people, start=1):
            user = User(
                id=index,
                name=name,
                email=email,
                age=age,
                created_at=datetime(2024, 1, index, tzinfo=UTC),
                deleted_at=deleted,
                roles=roles,
                posts=[Post(title=f"{name} {n}") for n in range(posts)],
            )
            session.add(user)
        await session.commit()
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/qb")
    async with TestClient(app) as test_client:
        yield test_client


def names(response: Any) -> list[str]:
    return [user["name"] for user in response.json()["data"]]


async def test_default_sort_and_soft_deleted_rows_hidden(client: TestClient) -> None:
    response = (await client.get("/qb/users")).assert_ok()
    assert names(response) == ["Carla Bruni", "Bob Marley", "Ada Lovelace"]


async def test_partial_exact_operator_scope_and_trashed_filters(client: TestClient) -> None:
    get = client.get
    assert names(await get("/qb/users?filter[name]=LOVE")) == ["Ada Lovelace"]
    assert names(await get("/qb/users?filter[email]=bob@example.com")) == ["Bob Marley"]
    assert names(await get("/qb/users?filter[id]=1,3&sort=name")) == [
        "Ada Lovelace",
        "Carla Bruni",
    ]
    assert names(await get("/qb/users?filter[age]=>=36&sort=age")) == [
        "Ada Lovelace",
        "Carla Bruni",
    ]
    assert names(await get("/qb/users?filter[adults]=true&sort=name")) == [
        "Ada Lovelace",
        "Carla Bruni",
    ]
    assert names(await get("/qb/users?filter[domain]=nowhere.test")) == []
    assert len(names(await get("/qb/users?filter[domain]=example.com"))) == 3
    assert names(await get("/qb/users?filter[trashed]=only")) == ["Dan Brown"]
    assert len(names(await get("/qb/users?filter[trashed]=with"))) == 4


async def test_partial_filter_treats_like_wildcards_literally(client: TestClient) -> None:
    assert names(await client.get("/qb/users?filter[name]=%")) == []


async def test_sorts_by_several_columns_and_aliases(client: TestClient) -> None:
    response = await client.get("/qb/users?sort=-age")
    assert names(response) == ["Carla Bruni", "Ada Lovelace", "Bob Marley"]
    assert names(await client.get("/qb/users?sort=joined")) == [
        "Ada Lovelace",
        "Bob Marley",
        "Carla Bruni",
    ]


async def test_includes_and_counts(client: TestClient) -> None:
    response = await client.get("/qb/users?include=roles,posts_count&sort=name")
    first = response.assert_ok().json()["data"][0]
    assert first["roles"] == ["admin", "editor"] and first["posts_count"] == 3
    response.assert_json_path("data.1.posts_count", 0).assert_json_missing_path("data.0.posts")
    counts = await client.get("/qb/users?include=roles_count&sort=name")
    assert [u["roles_count"] for u in counts.json()["data"]] == [2, 1, 0]


async def test_sparse_fields(client: TestClient) -> None:
    response = await client.get("/qb/users?fields[qb_users]=id,name&sort=name")
    assert response.assert_ok().json()["data"][0] == {"id": 1, "name": "Ada Lovelace"}
    included = await client.get("/qb/users?include=roles&fields[roles]=name&sort=name")
    included.assert_ok().assert_json_path("data.0.roles", ["admin", "editor"])


@contextmanager
def count_queries(application: Application) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = application.container.make(DatabaseManager).engine.sync_engine

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_includes_cost_a_constant_number_of_queries(
    client: TestClient, application: Application
) -> None:
    url = "/qb/users?include=roles,posts,roles_count,posts_count&filter[trashed]=with"
    with count_queries(application) as statements:
        (await client.get(url)).assert_ok().assert_json_count(4, "data")
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # users (with both counts joined) + roles + posts, whatever the number of users.
    assert len(selects) == 3, selects


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("filter[password]=x", "Requested filter(s) `password` are not allowed."),
        ("sort=-password", "Requested sort(s) `-password` are not allowed."),
        ("include=secrets", "Requested include(s) `secrets` are not allowed."),
        ("fields[qb_users]=id,password", "Requested field(s) `qb_users.password`"),
        ("fields[roles]=name", "neither `qb_users` nor included"),
        ("filter[name=x", "Malformed query parameter `filter[name`"),
        ("sort=name&sort=age", "Query parameter `sort` is given more than once."),
        ("filter[id]=abc", "Filter `id` expects a valid int, not `abc`."),
        ("filter[age]=>", "Filter `age` needs a value after `>`."),
        ("filter[trashed]=maybe", "Filter `trashed` accepts `with`, `only` or `without`"),
    ],
)
async def test_bad_queries_are_400s_naming_the_problem(
    client: TestClient, query: str, message: str
) -> None:
    response = await client.get(f"/qb/users?{query}")
    response.assert_status(400).assert_json_path("message", lambda text: message in text)


async def test_the_error_lists_what_is_allowed(client: TestClient) -> None:
    response = await client.get("/qb/users?filter[password]=x")
    response.assert_status(400).assert_json(
        {
            "message": "Requested filter(s) `password` are not allowed. Allowed filter(s) are "
            "`name, email, id, age, adults, domain, trashed`.",
            "error": "invalid_filter",
        }
    )


async def test_paginate_filters_counts_and_pages_through_resources(client: TestClient) -> None:
    first = (await client.get("/qb/users/paged?include=roles")).assert_ok()
    first.assert_json_path("data.0", {"name": "Ada Lovelace", "roles": ["admin", "editor"]})
    first.assert_json_count(2, "data").assert_json_path("meta.total", 3)
    first.assert_json_path("meta.last_page", 2)
    second = (await client.get("/qb/users/paged?page=2")).assert_ok()
    second.assert_json_path("data", [{"name": "Carla Bruni"}])
    filtered = (await client.get("/qb/users/paged?filter[age]=>30")).assert_ok()
    filtered.assert_json_path("meta.total", 2)
    trashed = (await client.get("/qb/users/paged?filter[trashed]=only")).assert_ok()
    trashed.assert_json_path("meta.total", 1).assert_json_path("data.0.name", "Dan Brown")
    (await client.get("/qb/users/paged?per_page=4")).assert_json_validation_errors("per_page")
