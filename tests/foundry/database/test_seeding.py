from __future__ import annotations

from typing import ClassVar

import pytest
from sqlalchemy import func, select

from foundry.database import DatabaseManager, Seeder, run_seeder
from foundry.database.seeding import SeederNotFoundError
from tests.foundry.database.models import Article, Author


class AuthorSeeder(Seeder):
    async def run(self) -> None:
        self.session.add_all([Author(name="Ada"), Author(name="Grace")])
        await self.session.flush()


class ArticleSeeder(Seeder):
    async def run(self) -> None:
        for author in (await self.session.scalars(select(Author))).all():
            self.session.add(Article(author_id=author.id, title=f"By {author.name}"))


class BlogSeeder(Seeder):
    order: ClassVar[tuple[type[Seeder], ...]] = (AuthorSeeder, ArticleSeeder)

    async def run(self) -> None:
        await self.call(*self.order)


class BrokenSeeder(Seeder):
    async def run(self) -> None:
        await self.call(AuthorSeeder)
        raise RuntimeError("seeder failed halfway")


async def _count(manager: DatabaseManager, model: type[Author] | type[Article]) -> int:
    async with manager.session() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_run_seeder_runs_the_tree_reports_each_and_commits(tables: DatabaseManager) -> None:
    reported: list[str] = []
    async with tables.session() as session:
        ran = await run_seeder(f"{__name__}.BlogSeeder", session=session, reporter=reported.append)
    assert ran == ["BlogSeeder", "AuthorSeeder", "ArticleSeeder"]
    assert reported == ran
    assert await _count(tables, Author) == 2
    assert await _count(tables, Article) == 2


async def test_a_failing_seeder_leaves_the_database_as_it_was(tables: DatabaseManager) -> None:
    async with tables.session() as session:
        with pytest.raises(RuntimeError, match="halfway"):
            await run_seeder(f"{__name__}.BrokenSeeder", session=session)
    assert await _count(tables, Author) == 0


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("NoDots", "dotted path"),
        ("database.seeders.missing_module.MissingSeeder", "no module"),
        (f"{__name__}.NotThere", "not a Seeder"),
        (f"{__name__}.Author", "not a Seeder"),
    ],
)
async def test_unknown_seeders_are_named_in_the_error(
    tables: DatabaseManager, path: str, message: str
) -> None:
    async with tables.session() as session:
        with pytest.raises(SeederNotFoundError, match=message):
            await run_seeder(path, session=session)
