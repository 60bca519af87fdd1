"""Ids of deleted rows are never handed out again, on SQLite as on PostgreSQL.

SQLite gives a new row ``max(id) + 1`` unless the key is ``INTEGER PRIMARY KEY AUTOINCREMENT``:
delete the newest user and the next one would get its id, and a queued job or a token naming
that id would act on the wrong person.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import BigInteger, Connection, ForeignKey, MetaData, String, Table, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.schema import CreateTable

from foundry.config.database import DatabaseSettings
from foundry.database import NAMING_CONVENTION, Base
from foundry.database.blocking import run_blocking
from foundry.database.engine import create_engine
from foundry.database.migrator import FRAMEWORK_VERSIONS_PATH, Migrator
from foundry.kernel.config import settings
from tests.foundry import testbench
from tests.foundry.testbench.factories import UserFactory

AUTOINCREMENT_IDS = "a1f6d5c8e276"


class _Scratch(Base):
    __abstract__ = True
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Note(_Scratch):
    __tablename__ = "autoinc_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(String(50))


class BigNote(_Scratch):
    __tablename__ = "autoinc_big_notes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)


class NoteDetail(_Scratch):
    __tablename__ = "autoinc_note_details"

    id: Mapped[int] = mapped_column(ForeignKey("autoinc_notes.id"), primary_key=True)


class LegacyNote(_Scratch):
    __tablename__ = "autoinc_legacy_notes"
    __table_args__ = {"sqlite_autoincrement": False}

    id: Mapped[int] = mapped_column(primary_key=True)


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _sqlite_ddl(model: type[Base]) -> str:
    return str(CreateTable(_table(model)).compile(dialect=sqlite.dialect()))


def test_a_models_integer_key_gets_autoincrement_on_sqlite_and_only_where_sqlite_takes_it() -> None:
    assert "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT" in _sqlite_ddl(Note)
    # SQLite refuses AUTOINCREMENT on BIGINT, and a key that is a foreign key follows its parent.
    assert "AUTOINCREMENT" not in _sqlite_ddl(BigNote)
    assert "AUTOINCREMENT" not in _sqlite_ddl(NoteDetail)
    # A model that says otherwise keeps its choice.
    assert "AUTOINCREMENT" not in _sqlite_ddl(LegacyNote)
    # The option is a table keyword, so autogenerate writes it into the create_table it renders.
    assert dict(_table(Note).kwargs) == {"sqlite_autoincrement": True}


async def test_a_deleted_users_id_is_not_given_to_the_next_user(session: AsyncSession) -> None:
    first = await UserFactory.new().create(session)
    await session.commit()
    deleted_id = first.id
    await first.force_delete(session)
    await session.commit()

    second = await UserFactory.new().create(session)
    await session.commit()

    assert second.id != deleted_id


async def test_a_deleted_failed_jobs_id_is_not_given_to_the_next_failed_job(
    session: AsyncSession,
) -> None:
    async def fail(uuid: str) -> int:
        row = await session.execute(
            text(
                "INSERT INTO failed_jobs (uuid, connection, queue, payload, exception, failed_at) "
                "VALUES (:uuid, 'database', 'default', '{}', 'boom', 0) RETURNING id"
            ),
            {"uuid": uuid},
        )
        return int(row.scalar_one())

    deleted_id = await fail("one")
    await session.execute(text("DELETE FROM failed_jobs WHERE id = :id"), {"id": deleted_id})

    assert await fail("two") != deleted_id


def _before_autoincrement(folder: Path) -> Path:
    """The framework's revisions as the previous release shipped them (no
    ``sqlite_autoincrement``, no revision adding it), after the test application's."""
    folder.mkdir()
    users = next(testbench.MIGRATIONS_PATH.glob("*.py"))
    shutil.copy(users, folder)
    # Revision files are named by date: the previous release ends before the autoincrement one.
    for path in sorted(FRAMEWORK_VERSIONS_PATH.glob("*.py")):
        source = path.read_text()
        if f'revision: str = "{AUTOINCREMENT_IDS}"' in source:
            break
        (folder / path.name).write_text(source.replace("sqlite_autoincrement=True,", ""))
    return folder


def _sql(url: str, *statements: str) -> list[object]:
    """Run ``statements`` in one transaction; returns the first column of the last result."""

    def run(connection: Connection) -> list[object]:
        rows: list[object] = []
        for statement in statements:
            result = connection.execute(text(statement))
            rows = list(result.scalars()) if result.returns_rows else []
        return rows

    async def work() -> list[object]:
        engine = create_engine(DatabaseSettings.load(), url=url, pooled=False)
        try:
            async with engine.begin() as connection:
                return await connection.run_sync(run)
        finally:
            await engine.dispose()

    return run_blocking(work)


def test_a_sqlite_database_migrated_by_the_previous_release_gets_autoincrement_ids(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite'}"
    old = Migrator(url, versions_path=_before_autoincrement(tmp_path / "old"), format_files=False)
    old.upgrade()
    job = "INSERT INTO failed_jobs (uuid, connection, queue, payload, exception, failed_at) "
    _sql(
        url,
        job + "VALUES ('a', 'database', 'default', '{}', 'boom', 0)",
        job + "VALUES ('b', 'database', 'default', '{}', 'boom', 0)",
        "DELETE FROM failed_jobs WHERE uuid = 'b'",
    )
    # The previous release's schema reuses the id just freed.
    assert "AUTOINCREMENT" not in str(
        _sql(url, "SELECT sql FROM sqlite_master WHERE name = 'failed_jobs'")[0]
    )

    current = settings(DatabaseSettings).model_copy(
        update={"migrations_path": testbench.MIGRATIONS_PATH}
    )
    migrator = Migrator(url, settings=current, format_files=False)
    assert migrator.upgrade(AUTOINCREMENT_IDS) == [AUTOINCREMENT_IDS]

    # Rows and ids are kept; ids freed from now on stay unused.
    assert _sql(url, "SELECT uuid FROM failed_jobs ORDER BY id") == ["a"]
    ids = _sql(
        url,
        job + "VALUES ('c', 'database', 'default', '{}', 'boom', 0)",
        "DELETE FROM failed_jobs WHERE uuid = 'c'",
        job + "VALUES ('d', 'database', 'default', '{}', 'boom', 0)",
        "SELECT id FROM failed_jobs ORDER BY id",
    )
    assert ids == [1, 3]
    for table in ("jobs", "failed_jobs", "roles", "oauth_clients", "revoked_tokens"):
        created = _sql(url, f"SELECT sql FROM sqlite_master WHERE name = '{table}'")[0]
        assert "AUTOINCREMENT" in str(created), table
    # The rebuilt tables keep their indexes and unique constraints.
    assert _sql(url, "SELECT name FROM sqlite_master WHERE name = 'ix_jobs_queue_priority'")
    with pytest.raises(Exception, match="UNIQUE"):
        _sql(url, job + "VALUES ('a', 'database', 'default', '{}', 'boom', 0)")


def test_integer_keys_still_work_on_both_databases(database_url: str) -> None:
    # BIGINT, foreign-key and plain integer keys all create and insert on either database.
    async def work() -> None:
        engine = create_engine(DatabaseSettings.load(), url=database_url, pooled=False)
        try:
            async with engine.begin() as connection:
                await connection.run_sync(_Scratch.metadata.create_all)
                await connection.execute(text("INSERT INTO autoinc_notes (body) VALUES ('x')"))
                await connection.execute(text("INSERT INTO autoinc_note_details (id) VALUES (1)"))
        finally:
            await engine.dispose()

    run_blocking(work)
