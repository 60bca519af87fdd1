"""API resources over HTTP, on SQLite and PostgreSQL: pages, cursors, links and bad input."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import APIRouter, Depends
from sqlalchemy import ForeignKey, event, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload
from starlette.requests import Request
from starlette.responses import JSONResponse

from foundry.database.types import UtcDateTime
from foundry.http.app import create_app
from foundry.http.dependencies import Inject
from foundry.http.kernel import HttpKernel
from foundry.http.resources import (
    CursorParams,
    JsonResource,
    PageParams,
    cursor_paginate,
    cursor_params,
    page_params,
    paginate,
)
from foundry.kernel.application import Application
from foundry.kernel.errors import NotFoundError
from foundry.testing import TestClient


class Model(DeclarativeBase):
    """Test-only metadata, apart from the app's migrations."""


class Writer(Model):
    __tablename__ = "resource_test_writers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class Post(Model):
    __tablename__ = "resource_test_posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())
    writer_id: Mapped[int] = mapped_column(ForeignKey("resource_test_writers.id"))
    # lazy="raise": any load the resource triggered would fail the request with a 500.
    writer: Mapped[Writer] = relationship(lazy="raise")


class WriterResource(JsonResource[Writer]):
    def to_dict(self, request: Request) -> dict[str, Any]:
        return {"id": self.resource.id, "name": self.resource.name}


class PostResource(JsonResource[Post]):
    def to_dict(self, request: Request) -> dict[str, Any]:
        post = self.resource
        return {
            "id": post.id,
            "title": post.title,
            "published_at": post.published_at,
            "writer": self.when_loaded("writer", lambda: WriterResource(post.writer)),
        }


Pages = Annotated[PageParams, Depends(page_params(default_per_page=10, max_per_page=50))]
Cursors = Annotated[CursorParams, Depends(cursor_params(default_per_page=10, max_per_page=50))]
router = APIRouter()


@router.get("/posts")
async def index(
    request: Request, pages: Pages, session: Inject[AsyncSession], include: str = ""
) -> JSONResponse:
    stmt = select(Post).order_by(Post.id)
    if include == "writer":
        stmt = stmt.options(selectinload(Post.writer))
    posts = await paginate(session, stmt, **pages.as_kwargs())
    return PostResource.collection(posts).to_response(request)


@router.get("/feed")
async def feed(request: Request, cursors: Cursors, session: Inject[AsyncSession]) -> JSONResponse:
    stmt = select(Post).where(Post.title != "hidden")
    posts = await cursor_paginate(
        session, stmt, order_by=[Post.published_at.desc(), Post.id.desc()], **cursors.as_kwargs()
    )
    return PostResource.collection(posts).to_response(request)


@router.get("/posts/{post_id}")
async def show(post_id: int, request: Request, session: Inject[AsyncSession]) -> JSONResponse:
    post = await session.scalar(
        select(Post).where(Post.id == post_id).options(selectinload(Post.writer))
    )
    if post is None:
        raise NotFoundError()
    return PostResource(post).additional({"meta": {"api": "v1"}}).to_response(request)


START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def api(
    application: Application, db: AsyncConnection, session: AsyncSession
) -> AsyncIterator[TestClient]:
    """35 posts (ids 1..35, one hour apart; a 36th titled "hidden") by one writer."""
    await db.run_sync(Model.metadata.create_all)
    writer = Writer(id=1, name="Ada")
    session.add(writer)
    for number in range(1, 37):
        title = "hidden" if number == 36 else f"Post {number}"
        published = START + timedelta(hours=number // 2)  # pairs share a time: ties broken by id
        session.add(Post(id=number, title=title, published_at=published, writer_id=1))
    await session.commit()
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    async with TestClient(app) as client:
        yield client


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


async def test_paginated_listing_has_laravels_shape(api: TestClient) -> None:
    response = (await api.get("/api/posts?page=2&per_page=15&include=")).assert_ok()
    response.assert_json_structure(
        {
            "data": {"*": ["id", "title", "published_at"]},
            "links": ["first", "last", "prev", "next"],
            "meta": ["current_page", "from", "last_page", "path", "per_page", "to", "total"],
        }
    )
    body = response.json()
    assert [post["id"] for post in body["data"]] == list(range(16, 31))
    assert body["meta"] == {
        "current_page": 2,
        "from": 16,
        "last_page": 3,
        "path": "http://testserver/api/posts",
        "per_page": 15,
        "to": 30,
        "total": 36,
    }
    assert body["links"]["next"].startswith("http://testserver/api/posts?")
    assert query_of(body["links"]["next"]) == {"page": ["3"], "per_page": ["15"]}
    assert query_of(body["links"]["prev"])["page"] == ["1"]
    assert query_of(body["links"]["last"])["page"] == ["3"]
    assert body["data"][0]["published_at"] == "2026-01-01T08:00:00+00:00"


async def test_last_page_and_past_the_end(api: TestClient) -> None:
    last = (await api.get("/api/posts?page=4")).assert_ok().json()
    assert [post["id"] for post in last["data"]] == [31, 32, 33, 34, 35, 36]
    assert last["links"]["next"] is None and last["meta"]["to"] == 36
    beyond = (await api.get("/api/posts?page=9")).assert_ok().json()
    assert beyond["data"] == [] and beyond["meta"]["from"] is None


async def test_when_loaded_includes_only_eager_loaded_relations(api: TestClient) -> None:
    bare = (await api.get("/api/posts")).assert_ok().json()
    assert all("writer" not in post for post in bare["data"])  # and no lazy load (would 500)
    loaded = (await api.get("/api/posts?include=writer")).assert_ok().json()
    assert loaded["data"][0]["writer"] == {"id": 1, "name": "Ada"}
    assert query_of(loaded["links"]["next"]) == {"include": ["writer"], "page": ["2"]}


async def test_single_resource_with_additional(api: TestClient) -> None:
    (await api.get("/api/posts/999")).assert_not_found()
    (await api.get("/api/posts/3")).assert_ok().assert_json(
        {"data": {"id": 3, "title": "Post 3", "writer": {"name": "Ada"}}, "meta": {"api": "v1"}}
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("per_page=51", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=1&page=2", "page"),
    ],
)
async def test_bad_page_input_is_a_422_in_laravels_shape(
    api: TestClient, query: str, field: str
) -> None:
    response = (await api.get(f"/api/posts?{query}")).assert_unprocessable()
    response.assert_json_validation_errors(field)
    assert response.json()["message"]


async def test_cursor_pages_forwards_then_backwards(api: TestClient) -> None:
    seen: list[int] = []
    url: str | None = "/api/feed?per_page=10"
    pages: list[dict[str, Any]] = []
    while url is not None:
        body = (await api.get(url)).assert_ok().json()
        pages.append(body)
        seen += [post["id"] for post in body["data"]]
        url = body["links"]["next"]
    # Newest first, ties on published_at broken by id; "hidden" stays filtered out.
    assert seen == [35, 34, 33, 32, 31, 30, 29, 28, 27, 26] + list(range(25, 0, -1))
    assert [len(page["data"]) for page in pages] == [10, 10, 10, 5]
    first, last = pages[0], pages[-1]
    assert first["meta"]["prev_cursor"] is None and first["links"]["prev"] is None
    assert last["meta"]["next_cursor"] is None
    assert set(first["meta"]) == {"path", "per_page", "next_cursor", "prev_cursor"}
    assert first["links"]["last"] is None
    assert first["meta"]["path"] == "http://testserver/api/feed"

    # Walk back from the last page: each previous page is the one seen going forwards.
    back = last
    for expected in reversed(pages[:-1]):
        assert back["links"]["prev"] is not None
        back = (await api.get(back["links"]["prev"])).assert_ok().json()
        assert back["data"] == expected["data"]
        assert query_of(back["links"]["first"]) == {"per_page": ["10"]}
    assert back["meta"]["prev_cursor"] is None  # back at the start


@pytest.mark.parametrize(
    "cursor",
    ["garbage!", "eyJpZCI6MX0", "e30", "eyJpZCI6IDF9" + "A" * 2000],
)
async def test_tampered_cursor_is_a_422(api: TestClient, cursor: str) -> None:
    (await api.get(f"/api/feed?cursor={cursor}")).assert_unprocessable().assert_json(
        {"errors": {"cursor": ["The cursor is invalid."]}}
    )


async def test_cursor_with_edited_values_is_refused_unless_well_typed(api: TestClient) -> None:
    def make(payload: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")

    naive = {"published_at": "2026-01-01T05:00:00", "id": 10, "_pointsToNextItems": True}
    (await api.get(f"/api/feed?cursor={make(naive)}")).assert_unprocessable()
    wrong = {"published_at": "2026-01-01T05:00:00+00:00", "id": "x", "_pointsToNextItems": True}
    (await api.get(f"/api/feed?cursor={make(wrong)}")).assert_unprocessable()
    fine = {"published_at": "2026-01-01T05:00:00+00:00", "id": 10, "_pointsToNextItems": True}
    body = (await api.get(f"/api/feed?cursor={make(fine)}&per_page=3")).assert_ok().json()
    assert [post["id"] for post in body["data"]] == [9, 8, 7]


async def test_paginate_runs_one_count_and_one_page_query(
    api: TestClient, db: AsyncConnection, session: AsyncSession
) -> None:
    statements: list[str] = []

    def record(*args: Any) -> None:
        if not str(args[2]).upper().startswith(("SAVEPOINT", "RELEASE")):  # the test harness's
            statements.append(str(args[2]))

    event.listen(db.sync_connection, "before_cursor_execute", record)
    try:
        page = await paginate(session, select(Post).order_by(Post.id), page=2, per_page=5)
    finally:
        event.remove(db.sync_connection, "before_cursor_execute", record)
    assert [post.id for post in page.items] == [6, 7, 8, 9, 10]
    assert page.total == 36 and page.last_page == 8
    assert len(statements) == 2 and "count(" in statements[0].lower()
