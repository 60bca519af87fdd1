"""Database assertions and the query counter, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import ForeignKey, MetaData, String, create_engine, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from foundry.database import NAMING_CONVENTION, Base, DatabaseManager, SoftDeletes
from foundry.kernel.application import Application
from foundry.testing.assertions import (
    assert_database_count,
    assert_database_has,
    assert_database_missing,
    assert_model_exists,
    assert_model_missing,
    assert_not_soft_deleted,
    assert_query_count,
    assert_soft_deleted,
    count_queries,
)


class AssertBase(Base):
    __abstract__ = True
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Writer(AssertBase):
    __tablename__ = "assert_writers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(100))
    nickname: Mapped[str | None] = mapped_column(String(50), default=None)
    books: Mapped[list[Book]] = relationship(lazy="raise")


class Book(SoftDeletes, AssertBase):
    __tablename__ = "assert_books"

    id: Mapped[int] = mapped_column(primary_key=True)
    writer_id: Mapped[int] = mapped_column(ForeignKey("assert_writers.id"))
    title: Mapped[str] = mapped_column(String(100))


@pytest.fixture
async def seeded(db: AsyncConnection, session: AsyncSession) -> AsyncSession:
    await db.run_sync(AssertBase.metadata.create_all)
    session.add_all(
        [
            Writer(id=1, email="ada@example.com", books=[Book(id=1, title="Notes")]),
            Writer(id=2, email="bob@example.com", nickname="b"),
        ]
    )
    await session.commit()
    return session


async def test_database_has_and_missing(seeded: AsyncSession) -> None:
    await assert_database_has(seeded, "assert_writers", {"email": "ada@example.com"})
    await assert_database_has(seeded, Writer, {"email": "ada@example.com", "nickname": None})
    await assert_database_missing(seeded, Writer, {"email": "eve@example.com"})
    with pytest.raises(AssertionError, match=r"no row in \[assert_writers\] matches") as failed:
        await assert_database_has(seeded, "assert_writers", {"email": "eve@example.com"})
    assert "ada@example.com" in str(failed.value)  # shows what is there
    with pytest.raises(AssertionError, match=r"1 row\(s\) in \[assert_writers\] match"):
        await assert_database_missing(seeded, Writer, {"nickname": "b"})


async def test_pending_changes_are_flushed_before_asserting(seeded: AsyncSession) -> None:
    seeded.add(Writer(id=3, email="cy@example.com"))
    await assert_database_has(seeded, Writer, {"id": 3})
    await assert_database_count(seeded, Writer, 3)


async def test_an_unknown_column_is_reported(seeded: AsyncSession) -> None:
    with pytest.raises(AssertionError, match="has no column 'mail'"):
        await assert_database_has(seeded, Writer, {"mail": "x"})


async def test_database_count_on_a_connection(seeded: AsyncSession, db: AsyncConnection) -> None:
    await assert_database_count(db, "assert_writers", 2)
    with pytest.raises(AssertionError, match=r"expected 5 rows in \[assert_writers\], found 2"):
        await assert_database_count(db, Writer, 5)


async def test_model_exists_and_missing(seeded: AsyncSession) -> None:
    writer = await seeded.get_one(Writer, 2)
    await assert_model_exists(seeded, writer)
    await seeded.delete(writer)
    await assert_model_missing(seeded, writer)
    with pytest.raises(AssertionError, match="has no primary key yet"):
        await assert_model_exists(seeded, Writer(email="new@example.com"))


async def test_soft_delete_assertions_see_rows_global_scopes_hide(seeded: AsyncSession) -> None:
    book = await seeded.get_one(Book, 1)
    await assert_not_soft_deleted(seeded, book)
    with pytest.raises(AssertionError, match=r"no soft-deleted row in \[assert_books\]"):
        await assert_soft_deleted(seeded, book)
    book.soft_delete()
    await assert_soft_deleted(seeded, book)
    await assert_soft_deleted(seeded, "assert_books", {"title": "Notes"})
    await assert_database_count(seeded, Book, 1)  # counted, though queries no longer see it
    with pytest.raises(AssertionError, match="that is not soft deleted matches"):
        await assert_not_soft_deleted(seeded, Book, {"title": "Notes"})
    with pytest.raises(AssertionError, match="has no 'deleted_at' column"):
        await assert_soft_deleted(seeded, Writer, {"id": 1})


async def test_count_queries_counts_statements_not_transaction_control(
    seeded: AsyncSession,
) -> None:
    seeded.expunge_all()
    async with count_queries(seeded) as counter:
        async with seeded.begin_nested():  # SAVEPOINT / RELEASE are not counted
            writers = (
                await seeded.scalars(select(Writer).options(selectinload(Writer.books)))
            ).all()
    assert len(writers) == 2
    assert counter.count == 2, counter.describe()  # writers, then their books in one query
    assert "assert_books" in counter.statements[1]
    await seeded.execute(text("SELECT 1"))
    assert counter.count == 2  # stopped at the end of the block


async def test_assert_query_count_fails_listing_the_statements(seeded: AsyncSession) -> None:
    with pytest.raises(AssertionError, match=r"expected 1 queries, 2 ran:\n  1\. SELECT"):
        async with assert_query_count(1, seeded):
            await seeded.execute(text("SELECT 1"))
            await seeded.execute(text("SELECT 2"))


def test_the_sync_form_counts_on_a_sync_engine() -> None:
    engine = create_engine("sqlite://")
    try:
        with assert_query_count(1, engine), engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        with pytest.raises(AssertionError, match="expected 0 queries, 1 ran"):
            with assert_query_count(0, engine), engine.connect() as connection:
                connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()


async def test_counting_on_the_manager_sees_every_session(
    application: Application, seeded: AsyncSession
) -> None:
    manager = application.container.make(DatabaseManager)
    async with assert_query_count(2, manager):
        async with manager.session() as other:
            await other.execute(text("SELECT 1"))
        await seeded.execute(text("SELECT 1"))
