"""SoftDeletes: trashed rows hidden by default, with_trashed, only_trashed, restore, force_delete."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, Select, String, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import (
    NAMING_CONVENTION,
    SOFT_DELETES_SCOPE,
    Model,
    SoftDeletes,
    global_scopes_of,
    without_global_scopes,
)


class TrashModel(Model):
    __abstract__ = True
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Page(SoftDeletes, TrashModel):
    __tablename__ = "trash_pages"
    global_scopes = {"public": lambda cls: cls.public.is_(True)}

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(50))
    public: Mapped[bool] = mapped_column(default=True)


@pytest.fixture
async def pages(db: AsyncConnection, session: AsyncSession) -> AsyncSession:
    await db.run_sync(TrashModel.metadata.create_all)
    session.add_all([Page(id=1, title="home"), Page(id=2, title="about"), Page(id=3, title="old")])
    await session.commit()
    page = await session.get_one(Page, 3)
    page.soft_delete()
    await session.commit()
    session.expunge_all()
    return session


async def _ids(session: AsyncSession, stmt: Select[Page]) -> list[int]:
    return sorted(page.id for page in await session.scalars(stmt))


async def test_soft_deleted_rows_are_hidden_but_kept(pages: AsyncSession) -> None:
    assert await _ids(pages, select(Page)) == [1, 2]
    assert await pages.get(Page, 3) is None
    assert await pages.scalar(select(func.count()).select_from(Page)) == 2
    raw = await pages.scalar(text("SELECT count(*) FROM trash_pages"))
    assert raw == 3  # the row is still in the table


async def test_with_trashed_and_only_trashed(pages: AsyncSession) -> None:
    assert await _ids(pages, Page.with_trashed()) == [1, 2, 3]
    assert await _ids(pages, Page.only_trashed()) == [3]
    assert await _ids(pages, Page.only_trashed(select(Page).where(Page.title == "home"))) == []


async def test_the_models_own_global_scopes_still_apply_with_trashed(pages: AsyncSession) -> None:
    assert set(global_scopes_of(Page)) == {SOFT_DELETES_SCOPE, "public"}
    page = await pages.get_one(Page, 2)
    page.public = False
    await pages.commit()
    pages.expunge_all()
    assert await _ids(pages, Page.with_trashed()) == [1, 3]
    assert await _ids(pages, without_global_scopes(select(Page))) == [1, 2, 3]


async def test_restore_brings_the_row_back(pages: AsyncSession) -> None:
    page = (await pages.scalars(Page.only_trashed())).one()
    page.restore()
    await pages.commit()
    pages.expunge_all()
    assert await _ids(pages, select(Page)) == [1, 2, 3]


async def test_force_delete_removes_the_row(pages: AsyncSession) -> None:
    page = (await pages.scalars(Page.only_trashed())).one()
    await page.force_delete(pages)
    await pages.commit()
    assert await _ids(pages, Page.with_trashed()) == [1, 2]


async def test_counts_and_subqueries_leave_trashed_rows_out(pages: AsyncSession) -> None:
    subquery = select(Page).where(Page.title != "none").subquery()
    assert await pages.scalar(select(func.count()).select_from(subquery)) == 2
    joined = select(func.count(Page.id))
    assert await pages.scalar(joined) == 2
