"""The framework's migrations (branch ``foundry``) next to an application's (branch ``app``).

The framework's tables reference ``users.id``: its first revision depends on the application's
revision labelled ``app``, which creates ``users``. Databases migrated when both sets were one
chain in ``database/migrations/versions`` must upgrade without running anything again.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.models.personal_access_token import PersonalAccessToken
from foundry.auth.models.refresh_token import RefreshToken
from foundry.auth.refresh_tokens import RefreshTokenService
from foundry.config.database import DatabaseSettings
from foundry.database.base import Base
from foundry.database.migrator import FRAMEWORK_VERSIONS_PATH, MigrationError, Migrator
from foundry.kernel.config import settings
from tests.foundry import testbench
from tests.foundry.database.inspection import read_schema
from tests.foundry.testbench.factories import UserFactory

USERS = "b6347da6ffbe"  # the test application's base revision, labelled "app"
FRAMEWORK = [
    "fe9910ed6aca",
    "5a1e0c3d7b21",
    "6b2f1d4e8c32",
    "7c3a2e5f9d43",
    "9e5c4a7b1f65",
    "a1f6d5c8e276",
    "b7d3e1f0a2c4",
    "d9f5a3b2c4e6",
    "e1a7b3c5d9f2",
    "c8e4f2a1b3d5",
    "f2b8c4d6e0a3",
    "a3c5e7f9b1d2",
    "b4d6f8a0c2e3",
    "c5e7a9b1d3f4",
    "d6f8b0c2e4a5",
    "e7a9c1d3f5b6",
    "f8b0d2e4a6c7",
]

POSTS = """
def upgrade() -> None:
    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("posts")
"""


@pytest.fixture
def app_versions(tmp_path: Path) -> Path:
    """A copy of the test application's migrations, for tests that add revisions to them."""
    folder = tmp_path / "app_versions"
    shutil.copytree(testbench.MIGRATIONS_PATH, folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


@pytest.fixture
def migrator(database_url: str, app_versions: Path) -> Migrator:
    """The framework's and the (copied) test application's migrations, on this test's database."""
    configured = settings(DatabaseSettings).model_copy(update={"migrations_path": app_versions})
    return Migrator(database_url, settings=configured, format_files=False)


def _old_single_chain(folder: Path) -> Path:
    """The revisions as one chain, as ``database/migrations/versions`` held them before the
    framework's moved out: the same ids and operations, the token tables following ``users``."""
    folder.mkdir()
    users = next(testbench.MIGRATIONS_PATH.glob("*.py"))
    (folder / users.name).write_text(users.read_text().replace('("app",)', "None"))
    for path in FRAMEWORK_VERSIONS_PATH.glob("*.py"):
        source = path.read_text()
        source = source.replace(
            "down_revision: str | Sequence[str] | None = None", f'down_revision = "{USERS}"'
        )
        source = source.replace('("foundry",)', "None").replace('= "app"', "= None")
        (folder / path.name).write_text(source)
    return folder


def test_the_applications_base_runs_first_then_the_frameworks_branch(
    migrator: Migrator, database_url: str
) -> None:
    assert migrator.upgrade() == [USERS, *FRAMEWORK]

    # The version table holds what the single chain left: its head implies everything below.
    assert migrator.current() == (FRAMEWORK[-1],)
    assert all(status.applied for status in migrator.status())
    assert {"users", "refresh_tokens", "roles", "oauth_clients", "jobs"} <= set(
        read_schema(database_url)
    )
    assert migrator.upgrade() == []


def test_a_database_migrated_by_the_old_single_chain_upgrades_cleanly(
    migrator: Migrator, database_url: str, tmp_path: Path
) -> None:
    old = Migrator(database_url, versions_path=_old_single_chain(tmp_path / "old"))
    assert old.upgrade() == [USERS, *FRAMEWORK]

    assert migrator.upgrade() == []
    assert [status.applied for status in migrator.status()] == [True] * (len(FRAMEWORK) + 1)

    # The application goes on: its new revision follows its own head and the framework's.
    posts = migrator.make("create posts table")
    source = posts.read_text()
    assert re.search(rf'^down_revision: .* = "{USERS}"$', source, re.M)
    assert re.search(rf'^depends_on: .* = "{FRAMEWORK[-1]}"$', source, re.M)
    posts.write_text(source[: source.index("\ndef upgrade()")] + POSTS)
    revision = re.search(r'^revision: str = "(\w+)"', source, re.M)
    assert revision is not None
    new = revision.group(1)

    assert migrator.upgrade() == [new]
    assert "posts" in set(read_schema(database_url))
    assert migrator.rollback() == [new]
    assert migrator.rollback(steps=2) == FRAMEWORK[:-3:-1]
    assert migrator.upgrade() == [*FRAMEWORK[-2:], new]
    assert migrator.rollback(steps=99) == [new, *FRAMEWORK[::-1], USERS]
    assert set(read_schema(database_url)) == {"alembic_version"}


def test_an_application_revision_written_on_the_old_chain_keeps_its_place(
    migrator: Migrator, database_url: str, tmp_path: Path, app_versions: Path
) -> None:
    old_chain = _old_single_chain(tmp_path / "old")
    (old_chain / "2026_12_01_000000_create_posts_table.py").write_text(
        f'revision = "c0ffee000001"\ndown_revision = "{FRAMEWORK[-1]}"\n'
        "import sqlalchemy as sa\nfrom alembic import op\n" + POSTS
    )
    assert Migrator(database_url, versions_path=old_chain).upgrade()[-1] == "c0ffee000001"
    # Upgrading the project moves the framework's revisions out; the application's stay.
    shutil.copy(old_chain / "2026_12_01_000000_create_posts_table.py", app_versions)

    assert migrator.upgrade() == []
    assert all(status.applied for status in migrator.status())
    assert 'down_revision = "c0ffee000001"' in migrator.make("add tags").read_text().replace(
        "down_revision: str | Sequence[str] | None", "down_revision"
    )


def test_copies_of_the_frameworks_migrations_are_refused_with_what_to_do(
    migrator: Migrator, app_versions: Path
) -> None:
    copy = next(FRAMEWORK_VERSIONS_PATH.glob("*_create_token_tables.py"))
    shutil.copy(copy, app_versions)

    with pytest.raises(MigrationError, match="delete them there"):
        migrator.upgrade()


def test_an_application_base_without_the_app_label_is_named(
    migrator: Migrator, app_versions: Path
) -> None:
    users = next(app_versions.glob("*.py"))
    users.write_text(users.read_text().replace('("app",)', "None"))

    with pytest.raises(MigrationError, match=r"labelled 'app'.*branch_labels"):
        migrator.status()


def test_a_fresh_database_runs_a_new_application_revision_after_the_tables_it_references(
    migrator: Migrator, database_url: str
) -> None:
    posts = migrator.make("create posts table")
    source = posts.read_text()
    posts.write_text(source[: source.index("\ndef upgrade()")] + POSTS)

    applied = migrator.upgrade()

    # posts references teams (a framework table): it runs after the framework's branch.
    assert applied[:-1] == [USERS, *FRAMEWORK] and len(applied) == len(FRAMEWORK) + 2
    assert "posts" in set(read_schema(database_url))


def test_autogenerate_proposes_nothing_when_nothing_changed(migrator: Migrator) -> None:
    migrator.upgrade()

    drift = migrator.make("nothing to do", autogenerate=True).read_text()

    # Every table and index (the queue's too) is known to the models: not one operation.
    upgrade = drift.split("def upgrade() -> None:")[1].split("def downgrade")[0]
    assert "op." not in upgrade and "batch_op" not in upgrade, upgrade


async def test_a_users_tokens_are_deleted_with_the_user(session: AsyncSession) -> None:
    # Why the framework's tables keep their foreign keys to users.id: a token left behind would
    # sign in whoever gets the id next (SQLite reused the highest id before users had
    # AUTOINCREMENT, and a table rebuilt from a dump can still hand an id out again).
    user = await UserFactory.new().create(session)
    await user.create_token("cli", ["profile"], session=session)
    await RefreshTokenService(session).issue(user.id)
    await session.commit()

    await user.force_delete(session)
    await session.commit()

    for model in (PersonalAccessToken, RefreshToken):
        assert await session.scalar(select(func.count()).select_from(model)) == 0


def test_the_queue_tables_share_the_models_metadata() -> None:
    # One MetaData for every table: whatever compares Base.metadata with the database (a custom
    # env.py, Migrator(metadata=Base.metadata)) sees jobs and failed_jobs and never drops them.
    from foundry.queue.tables import failed_jobs, jobs

    assert jobs.metadata is Base.metadata and failed_jobs.metadata is Base.metadata
    assert {"jobs", "failed_jobs"} <= set(Base.metadata.tables)
