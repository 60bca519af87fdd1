"""The application's migrations, run with the framework's: ``users`` first, and a schema that
matches the models, so ``make:migration --autogenerate`` finds no table or column to write."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from database.factories import UserFactory
from foundry.config.database import DatabaseSettings
from foundry.database.migrator import Migrator
from foundry.kernel.config import settings


def _migrator(database_url: str, tmp_path: Path) -> Migrator:
    """The framework's migrations and a copy of the application's (autogenerate writes a file)."""
    ours = settings(DatabaseSettings)
    copy = tmp_path / "versions"
    shutil.copytree(ours.migrations_path, copy, ignore=shutil.ignore_patterns("__pycache__"))
    configured = ours.model_copy(update={"migrations_path": copy})
    return Migrator(database_url, settings=configured, format_files=False)


def test_migrate_creates_users_first_and_runs_every_revision_once(
    database_url: str, tmp_path: Path
) -> None:
    migrator = _migrator(database_url, tmp_path)

    applied = migrator.upgrade()

    assert applied[0] == "328feaafa3c8"  # create_users_table: the framework's tables need it
    assert sorted(applied) == sorted(status.revision for status in migrator.status())
    assert migrator.upgrade() == []


def test_the_models_and_the_migrations_agree(database_url: str, tmp_path: Path) -> None:
    migrator = _migrator(database_url, tmp_path)
    migrator.upgrade()

    drift = migrator.make("nothing to do", autogenerate=True).read_text()

    # Not one operation: the framework's tables (the queue's jobs and failed_jobs too) and the
    # application's are all compared, and the migrations match them.
    upgrade = drift.split("def upgrade() -> None:")[1].split("def downgrade")[0]
    assert "op." not in upgrade, upgrade


async def test_a_deleted_users_id_is_never_given_to_the_next_user(session: AsyncSession) -> None:
    # SQLite would hand out max(id) + 1 without AUTOINCREMENT: the next user would inherit the
    # deleted one's id, and with it anything (a queued job, a token) that names that id.
    first = await UserFactory.new().create(session)
    await session.commit()
    deleted_id = first.id
    await first.force_delete(session)
    await session.commit()

    second = await UserFactory.new().create(session)
    await session.commit()

    assert second.id != deleted_id
