"""Query builder additions (issue 16, item 16), on SQLite and PostgreSQL: ``for_query``,
NULLS FIRST/LAST sorting, ``*_exists`` includes, and the ``belongs_to``, ``begins_with_strict``
and ``ends_with_strict`` filters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import APIRouter, Request
from sqlalchemy import Column, DateTime, ForeignKey, String, Table, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from foundry.database import Base
from foundry.http.app import create_app
from foundry.http.dependencies import Inject
from foundry.http.kernel import HttpKernel
from foundry.http.query_builder import AllowedFilter, AllowedSort, QueryBuilder
from foundry.kernel.application import Application
from foundry.testing import TestClient


class Model(DeclarativeBase):
    """Test tables on their own metadata, with the app's column types."""

    type_annotation_map = Base.type_annotation_map


author_tags = Table(
    "qbx_author_tags",
    Model.metadata,
    Column("author_id", ForeignKey("qbx_authors.id"), primary_key=True),
    Column("tag_id", ForeignKey("qbx_tags.id"), primary_key=True),
)


class Tag(Model):
    __tablename__ = "qbx_tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


class Author(Model):
    __tablename__ = "qbx_authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    articles: Mapped[list[Article]] = relationship(back_populates="author", lazy="raise")
    tags: Mapped[list[Tag]] = relationship(secondary=author_tags, lazy="raise")


class Article(Model):
    __tablename__ = "qbx_articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("qbx_authors.id"))
    title: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    author: Mapped[Author] = relationship(back_populates="articles", lazy="raise")


class Comment(Model):
    __tablename__ = "qbx_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("qbx_articles.id"))
    body: Mapped[str] = mapped_column(String(100))
    article: Mapped[Article] = relationship(lazy="raise")


router = APIRouter()

ARTICLE_FILTERS = [
    AllowedFilter.belongs_to("author"),
    AllowedFilter.begins_with_strict("starts", "title"),
    AllowedFilter.ends_with_strict("ends", "title"),
]


@router.get("/articles")
async def articles(request: Request, session: Inject[AsyncSession]) -> list[str]:
    # The endpoint's own base query: drafts are never listed, whatever the client asks.
    base = select(Article).where(Article.title != "Draft hidden")
    found = await (
        QueryBuilder.for_query(base, session, request)
        .allowed_filters(ARTICLE_FILTERS)
        .allowed_sorts([AllowedSort.field("published_at").nulls_last(), "title"])
        .default_sort("title")
        .get()
    )
    return [article.title for article in found]


@router.get("/articles/nulls-first")
async def articles_nulls_first(request: Request, session: Inject[AsyncSession]) -> list[str]:
    found = await (
        QueryBuilder.for_model(Article, session, request)
        .allowed_sorts(["published_at", "title"])
        .nulls_first()
        .get()
    )
    return [article.title for article in found]


@router.get("/comments")
async def comments(request: Request, session: Inject[AsyncSession]) -> list[str]:
    found = await (
        QueryBuilder.for_model(Comment, session, request)
        .allowed_filters(
            [
                AllowedFilter.belongs_to("article"),
                AllowedFilter.belongs_to("author", "article.author"),
            ]
        )
        .default_sort("body")
        .get()
    )
    return [comment.body for comment in found]


@router.get("/authors")
async def authors(request: Request, session: Inject[AsyncSession]) -> list[dict[str, Any]]:
    found = await (
        QueryBuilder.for_model(Author, session, request)
        .allowed_includes(["articles_exists", "tags_exists", "articles_count"])
        .default_sort("name")
        .get()
    )
    keys = ("name", "articles_exists", "tags_exists", "articles_count")
    return [
        {key: author.__dict__[key] for key in keys if key in author.__dict__} for author in found
    ]


def _day(day: int) -> datetime:
    return datetime(2024, 1, day, tzinfo=UTC)


@pytest.fixture
async def client(application: Application, db: AsyncConnection) -> AsyncIterator[TestClient]:
    await db.run_sync(Model.metadata.create_all)
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        ada = Author(id=1, name="Ada", tags=[Tag(id=1, name="maths")])
        bob = Author(id=2, name="Bob")
        cy = Author(id=3, name="Cy")
        rows = [
            Article(id=1, author=ada, title="Hello World", published_at=_day(2)),
            Article(id=2, author=ada, title="hello again", published_at=None),
            Article(id=3, author=bob, title="World Tour", published_at=_day(1)),
            Article(id=4, author=bob, title="Draft hidden", published_at=None),
            Article(id=5, author=ada, title="50%_off", published_at=None),
            Article(id=6, author=bob, title="500 things", published_at=_day(3)),
        ]
        session.add_all([ada, bob, cy, *rows])
        await session.flush()
        session.add_all(
            [
                Comment(id=1, article_id=1, body="c1 on Ada's"),
                Comment(id=2, article_id=3, body="c2 on Bob's"),
                Comment(id=3, article_id=2, body="c3 on Ada's"),
            ]
        )
        await session.commit()
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/qbx")
    async with TestClient(app) as test_client:
        yield test_client


async def _get(client: TestClient, url: str) -> Any:
    return (await client.get(url)).assert_ok().json()


async def test_for_query_keeps_the_endpoints_own_conditions(client: TestClient) -> None:
    assert await _get(client, "/qbx/articles") == [
        "50%_off",
        "500 things",
        "Hello World",
        "World Tour",
        "hello again",
    ]
    assert await _get(client, "/qbx/articles?filter[author]=2") == ["500 things", "World Tour"]


def test_for_query_refuses_a_statement_that_is_not_one_model() -> None:
    request = Request({"type": "http", "query_string": b"", "headers": []})
    with pytest.raises(ValueError, match="select\\(\\) of one model"):
        QueryBuilder.for_query(select(Article.id), None, request)  # type: ignore[arg-type]  # never reaches the session


async def test_nulls_last_whichever_way_the_client_sorts(client: TestClient) -> None:
    ascending = await _get(client, "/qbx/articles?sort=published_at,title")
    descending = await _get(client, "/qbx/articles?sort=-published_at,title")

    assert ascending == ["World Tour", "Hello World", "500 things", "50%_off", "hello again"]
    assert descending == ["500 things", "Hello World", "World Tour", "50%_off", "hello again"]


async def test_nulls_first_for_every_sort_of_a_builder(client: TestClient) -> None:
    ascending = await _get(client, "/qbx/articles/nulls-first?sort=published_at,title")
    descending = await _get(client, "/qbx/articles/nulls-first?sort=-published_at,title")

    nulls = ["50%_off", "Draft hidden", "hello again"]
    assert ascending == [*nulls, "World Tour", "Hello World", "500 things"]
    assert descending == [*nulls, "500 things", "Hello World", "World Tour"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("filter[starts]=Hello", ["Hello World"]),
        ("filter[starts]=hello", ["hello again"]),
        ("filter[starts]=HELLO", []),
        ("filter[starts]=Hello,World", ["Hello World", "World Tour"]),
        # No wildcards: % and _ are the characters themselves.
        ("filter[starts]=50%", ["50%_off"]),
        ("filter[starts]=_", []),
        ("filter[ends]=World", ["Hello World"]),
        ("filter[ends]=world", []),
        ("filter[ends]=%_off", ["50%_off"]),
        ("filter[ends]=again,Tour", ["World Tour", "hello again"]),
        ("filter[ends]=a suffix longer than every title", []),
        ("filter[starts]=Hello&filter[ends]=World", ["Hello World"]),
    ],
)
async def test_strict_begins_and_ends_with_are_case_sensitive(
    client: TestClient, query: str, expected: list[str]
) -> None:
    assert await _get(client, f"/qbx/articles?{query}") == expected


async def test_belongs_to_filters_by_the_related_key(client: TestClient) -> None:
    assert await _get(client, "/qbx/articles?filter[author]=1") == [
        "50%_off",
        "Hello World",
        "hello again",
    ]
    assert len(await _get(client, "/qbx/articles?filter[author]=1,2")) == 5
    assert await _get(client, "/qbx/articles?filter[author]=3") == []
    assert await _get(client, "/qbx/comments?filter[article]=3") == ["c2 on Bob's"]


async def test_belongs_to_through_another_relationship(client: TestClient) -> None:
    assert await _get(client, "/qbx/comments?filter[author]=1") == ["c1 on Ada's", "c3 on Ada's"]
    assert await _get(client, "/qbx/comments?filter[author]=2,3") == ["c2 on Bob's"]


async def test_belongs_to_with_a_key_of_the_wrong_type_is_a_400(client: TestClient) -> None:
    response = await client.get("/qbx/comments?filter[author]=ada")

    response.assert_status(400).assert_json({"error": "bad_request"})
    assert "author" in response.json()["message"]
    (await client.get("/qbx/articles?filter[author]=,")).assert_status(400)


async def test_exists_includes_flag_each_row_without_loading_the_relation(
    client: TestClient,
) -> None:
    assert await _get(client, "/qbx/authors?include=articles_exists,tags_exists") == [
        {"name": "Ada", "articles_exists": True, "tags_exists": True},
        {"name": "Bob", "articles_exists": True, "tags_exists": False},
        {"name": "Cy", "articles_exists": False, "tags_exists": False},
    ]
    with_count = await _get(client, "/qbx/authors?include=articles_count,articles_exists")
    assert [(a["articles_count"], a["articles_exists"]) for a in with_count] == [
        (3, True),
        (3, True),
        (0, False),
    ]
    assert await _get(client, "/qbx/authors") == [{"name": "Ada"}, {"name": "Bob"}, {"name": "Cy"}]


async def test_an_exists_include_that_is_not_allowed_is_a_400(client: TestClient) -> None:
    response = await client.get("/qbx/authors?include=comments_exists")

    response.assert_status(400).assert_json({"error": "invalid_include"})
