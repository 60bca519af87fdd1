"""Checked by mypy only, never run: models, factories, form requests and resources are typed.

Each ``type: ignore[...]`` marks a call mypy must reject; ``warn_unused_ignores`` (part of
``--strict``) fails the check if mypy ever stops rejecting it.
"""

from __future__ import annotations

from typing import Any, ClassVar, assert_type

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from starlette.requests import Request

from foundry.database import Model, SoftDeletes, scope
from foundry.database.factories import Factory
from foundry.http.requests import FormRequest, Validated
from foundry.http.resources import JsonResource


class Article(SoftDeletes, Model):
    __tablename__ = "typing_articles"
    fillable: ClassVar[frozenset[str]] = frozenset({"title"})
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    author_id: Mapped[int]

    @classmethod
    @scope
    def scope_by(cls, author_id: int, stmt: Select[Any] | None = None) -> Select[Any]:
        return cls.where_in("author_id", [author_id], stmt=stmt)


class ArticleFactory(Factory[Article]):
    model = Article

    def definition(self) -> dict[str, Any]:
        return {"title": self.faker.sentence(), "author_id": 1}


class StoreArticleRequest(FormRequest):
    title: str


class ArticleResource(JsonResource[Article]):
    def to_dict(self, request: Request) -> dict[str, Any]:
        return {"title": self.resource.title}


async def well_typed(session: AsyncSession, data: Validated[StoreArticleRequest]) -> None:
    assert_type(data, StoreArticleRequest)
    assert_type(data.title, str)
    assert_type(Article().fill(title="x"), Article)
    assert_type(await Article.create(session, title="x"), Article)
    assert_type(ArticleFactory.new().make(), Article)
    assert_type(ArticleFactory.new().count(3).make_many(), list[Article])
    assert_type(await ArticleFactory.new().create(session), Article)
    Article.scope_by(3)


async def rejected(data: Validated[StoreArticleRequest]) -> None:
    data.body  # type: ignore[attr-defined]
    Article.scope_by("three")  # type: ignore[arg-type]
    ArticleFactory.new().count("3")  # type: ignore[arg-type]
    ArticleResource(object())  # type: ignore[arg-type]
