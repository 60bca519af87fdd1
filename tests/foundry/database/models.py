"""Models for the database tests, kept off ``Base.metadata`` so migrations never see them."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import ForeignKey, MetaData, String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import (
    NAMING_CONVENTION,
    Base,
    SoftDeletesMixin,
    TimestampsMixin,
    UuidPrimaryKeyMixin,
)


class TestModel(Base):
    """Same registry and type map as ``Base``; its own metadata."""

    __abstract__ = True
    __test__ = False
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Status(enum.Enum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Author(TimestampsMixin, TestModel):
    __tablename__ = "dbtest_authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class Article(UuidPrimaryKeyMixin, TimestampsMixin, SoftDeletesMixin, TestModel):
    __tablename__ = "dbtest_articles"

    author_id: Mapped[int] = mapped_column(ForeignKey("dbtest_authors.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[Status] = mapped_column(default=Status.DRAFT)
    extra: Mapped[dict[str, Any] | None] = mapped_column(default=None)
