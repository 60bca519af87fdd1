from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import StatementError

from foundry.database import NAMING_CONVENTION, Base, DatabaseManager, uuid7
from tests.foundry.database.models import Article, Author, Status, TestModel


async def _author_with_article(manager: DatabaseManager) -> tuple[int, uuid.UUID]:
    async with manager.session() as session:
        author = Author(name="Ada")
        session.add(author)
        await session.flush()
        article = Article(author_id=author.id, title="Engines")
        session.add(article)
        await session.commit()
        return author.id, article.id


async def test_timestamps_are_set_on_insert_in_utc(tables: DatabaseManager) -> None:
    before = datetime.now(UTC)
    author_id, _ = await _author_with_article(tables)
    async with tables.session() as session:
        author = await session.get_one(Author, author_id)
    assert author.created_at.tzinfo is UTC
    assert before - timedelta(seconds=1) <= author.created_at <= datetime.now(UTC)
    assert author.updated_at == author.created_at


async def test_updated_at_moves_on_update_and_created_at_stays(tables: DatabaseManager) -> None:
    author_id, _ = await _author_with_article(tables)
    async with tables.session() as session:
        author = await session.get_one(Author, author_id)
        created = author.created_at
        first_update = author.updated_at
        author.name = "Ada Lovelace"
        await session.commit()
    async with tables.session() as session:
        reloaded = await session.get_one(Author, author_id)
    assert reloaded.created_at == created
    assert reloaded.updated_at > first_update


async def test_soft_delete_keeps_the_row_and_restore_brings_it_back(
    tables: DatabaseManager,
) -> None:
    _, article_id = await _author_with_article(tables)
    async with tables.session() as session:
        article = await session.get_one(Article, article_id)
        assert not article.trashed
        article.soft_delete()
        await session.commit()
    async with tables.session() as session:
        trashed = await session.get_one(Article, article_id)
        assert trashed.trashed
        assert trashed.deleted_at is not None and trashed.deleted_at.tzinfo is UTC
        deleted_at = trashed.deleted_at
        trashed.soft_delete()  # a second delete keeps the first time
        assert trashed.deleted_at == deleted_at
        trashed.restore()
        await session.commit()
    async with tables.session() as session:
        restored = await session.get_one(Article, article_id)
    assert not restored.trashed
    assert restored.deleted_at is None


async def test_uuid_keys_are_version_7_and_ordered_by_creation(tables: DatabaseManager) -> None:
    _, first = await _author_with_article(tables)
    _, second = await _author_with_article(tables)
    assert first.version == 7 and second.version == 7
    assert first.int >> 80 <= second.int >> 80  # millisecond timestamps never go backwards
    assert len({uuid7() for _ in range(1000)}) == 1000


async def test_enums_are_stored_by_name_in_a_plain_column(tables: DatabaseManager) -> None:
    _, article_id = await _author_with_article(tables)
    async with tables.session() as session:
        article = await session.get_one(Article, article_id)
        assert article.status is Status.DRAFT
        article.status = Status.PUBLISHED
        await session.commit()
        stored = await session.scalar(
            text("SELECT status FROM dbtest_articles WHERE title = 'Engines'")
        )
    assert stored == "PUBLISHED"


async def test_naive_datetimes_are_refused(tables: DatabaseManager) -> None:
    async with tables.session() as session:
        with pytest.raises(StatementError, match="naive datetime"):
            await session.scalar(
                select(Author).where(Author.created_at < datetime(2030, 1, 1))  # noqa: DTZ001
            )


async def test_aware_datetimes_in_other_zones_compare_as_utc(tables: DatabaseManager) -> None:
    author_id, _ = await _author_with_article(tables)
    far_east = datetime.now(UTC).astimezone(ZoneInfo("Asia/Tokyo"))
    async with tables.session() as session:
        found = await session.scalar(
            select(Author.id).where(Author.created_at <= far_east + timedelta(seconds=1))
        )
    assert found == author_id


async def test_foreign_keys_are_enforced_and_cascade(tables: DatabaseManager) -> None:
    author_id, article_id = await _author_with_article(tables)
    async with tables.session() as session:
        session.add(Article(author_id=author_id + 999, title="Orphan"))
        with pytest.raises(Exception, match="(?i)foreign key"):
            await session.commit()
    async with tables.session() as session:
        await session.delete(await session.get_one(Author, author_id))
        await session.commit()
        assert await session.get(Article, article_id) is None


def test_constraints_follow_the_naming_convention() -> None:
    assert Base.metadata.naming_convention == NAMING_CONVENTION
    table = TestModel.metadata.tables["dbtest_articles"]
    names = {constraint.name for constraint in table.constraints}
    assert "pk_dbtest_articles" in names
    assert "fk_dbtest_articles_author_id_dbtest_authors" in names
    assert {index.name for index in table.indexes} == {"ix_dbtest_articles_deleted_at"}
    assert inspect(Article).primary_key[0].name == "id"
