from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import text

from foundry.config.database import DatabaseSettings
from foundry.database.engine import create_engine
from foundry.database.migrator import (
    FRAMEWORK_VERSIONS_PATH,
    MigrationError,
    MigrationStatus,
    Migrator,
)
from tests.foundry import testbench
from tests.foundry.database.inspection import read_schema
from tests.foundry.database.models import TestModel

ADD_SUBTITLE = """
def upgrade() -> None:
    with op.batch_alter_table("dbtest_articles") as batch_op:
        batch_op.add_column(sa.Column("subtitle", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dbtest_articles") as batch_op:
        batch_op.drop_column("subtitle")
"""


@pytest.fixture
def migrator(database_url: str, tmp_path: Path) -> Migrator:
    """Migrations of the test models, in a versions directory of this test's own."""
    return Migrator(
        database_url,
        versions_path=tmp_path / "versions",
        metadata=TestModel.metadata,
        format_files=False,  # the formatters cost a subprocess each; one test keeps them
    )


def _add_subtitle_migration(migrator: Migrator) -> Path:
    path = migrator.make("add subtitle to articles")
    source = path.read_text()
    body_start = source.index("\ndef upgrade()")
    path.write_text(source[:body_start] + ADD_SUBTITLE)
    return path


async def test_make_autogenerates_a_formatted_laravel_named_revision_quietly(
    database_url: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    migrator = Migrator(
        database_url, versions_path=tmp_path / "versions", metadata=TestModel.metadata
    )
    path = migrator.make("Create blog tables", autogenerate=True)
    assert path.parent == migrator.versions_path
    assert re.fullmatch(r"\d{4}_\d{2}_\d{2}_\d{6}_create_blog_tables\.py", path.name)
    source = path.read_text()
    assert 'op.create_table(\n        "dbtest_authors"' in source
    assert "sa.DateTime(timezone=True)" in source
    assert "foundry.kernel" not in source  # revision files never import the app
    assert "def upgrade() -> None:" in source and "def downgrade() -> None:" in source
    assert capfd.readouterr().out == ""


async def test_upgrade_status_and_rollback_on_a_real_table(
    migrator: Migrator, database_url: str
) -> None:
    first = migrator.make("create blog tables", autogenerate=True)
    second = _add_subtitle_migration(migrator)
    revisions = [
        re.search(r'^revision: str = "(\w+)"', p.read_text(), re.M).group(1)  # type: ignore[union-attr]  # the template always writes it
        for p in (first, second)
    ]
    assert [status.applied for status in migrator.status()] == [False, False]
    assert migrator.status()[0].description == "create blog tables"

    assert migrator.upgrade() == revisions
    assert migrator.upgrade() == []
    assert "subtitle" in read_schema(database_url)["dbtest_articles"]
    assert migrator.status() == [
        MigrationStatus(revisions[0], "create blog tables", True),
        MigrationStatus(revisions[1], "add subtitle to articles", True),
    ]
    assert migrator.current() == (revisions[1],)

    assert migrator.rollback() == [revisions[1]]
    schema = read_schema(database_url)
    assert "subtitle" not in schema["dbtest_articles"]
    assert "title" in schema["dbtest_articles"]
    assert [status.applied for status in migrator.status()] == [True, False]

    assert migrator.rollback(steps=5) == [revisions[0]]
    assert set(read_schema(database_url)) == {"alembic_version"}
    assert migrator.rollback() == []


async def test_fresh_drops_everything_and_migrates_again(
    migrator: Migrator, database_url: str
) -> None:
    migrator.make("create blog tables", autogenerate=True)
    migrator.upgrade()

    async def add_rows() -> None:
        engine = create_engine(DatabaseSettings.load(), url=database_url, pooled=False)
        try:
            async with engine.begin() as connection:
                await connection.execute(text("CREATE TABLE stray (id INTEGER PRIMARY KEY)"))
                await connection.execute(
                    text(
                        "INSERT INTO dbtest_authors (id, name, created_at, updated_at) "
                        "VALUES (1, 'Ada', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    )
                )
        finally:
            await engine.dispose()

    await add_rows()
    applied = migrator.fresh()
    assert len(applied) == 1
    schema = read_schema(database_url)
    assert set(schema) == {"alembic_version", "dbtest_authors", "dbtest_articles"}

    async def count() -> int:
        engine = create_engine(DatabaseSettings.load(), url=database_url, pooled=False)
        try:
            async with engine.connect() as connection:
                return int(await connection.scalar(text("SELECT COUNT(*) FROM dbtest_authors")))
        finally:
            await engine.dispose()

    assert await count() == 0


async def test_models_and_migrations_agree_after_upgrade(migrator: Migrator) -> None:
    migrator.make("create blog tables", autogenerate=True)
    migrator.upgrade()
    drift = migrator.make("nothing to do", autogenerate=True)
    source = drift.read_text()
    upgrade_body = source.split("def upgrade() -> None:")[1].split("def downgrade")[0]
    statements = [line.strip() for line in upgrade_body.splitlines()]
    assert [line for line in statements if line and not line.startswith("#")] == ["pass"]


def test_commands_also_run_outside_an_event_loop(migrator: Migrator) -> None:
    migrator.make("create blog tables", autogenerate=True)
    assert len(migrator.upgrade()) == 1
    assert migrator.wipe() == ["alembic_version", "dbtest_articles", "dbtest_authors"]
    assert migrator.current() == ()


async def test_errors_are_reported_as_migration_errors(migrator: Migrator) -> None:
    with pytest.raises(MigrationError, match="nope"):
        migrator.upgrade("nope")
    with pytest.raises(ValueError, match="message"):
        migrator.make("  ")
    with pytest.raises(ValueError, match="at least 1"):
        migrator.rollback(0)


def test_by_default_the_frameworks_and_the_applications_migrations_run() -> None:
    migrator = Migrator("sqlite+aiosqlite:///unused.sqlite")
    # The application's are DB_MIGRATIONS_PATH: here the test application's.
    assert migrator.versions_path == testbench.MIGRATIONS_PATH
    assert migrator.version_locations == (FRAMEWORK_VERSIONS_PATH, testbench.MIGRATIONS_PATH)
    assert migrator.config().get_main_option("path_separator") == "os"


def test_a_versions_path_runs_its_revisions_alone(tmp_path: Path) -> None:
    migrator = Migrator("sqlite+aiosqlite:///unused.sqlite", versions_path=tmp_path)
    assert migrator.version_locations == (tmp_path,)
