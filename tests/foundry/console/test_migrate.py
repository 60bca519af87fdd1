"""``migrate*`` and ``make:migration`` against a real database and a temporary versions folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.foundry.console.helpers import artisan

POSTS = '''"""create posts table"""
import sqlalchemy as sa
from alembic import op

revision = "a1_posts"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("posts", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("posts")
'''

COMMENTS = '''"""create comments table"""
import sqlalchemy as sa
from alembic import op

revision = "b2_comments"
down_revision = "a1_posts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("comments", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("comments")
'''


@pytest.fixture
def versions(tmp_path: Path) -> Path:
    folder = tmp_path / "versions"
    folder.mkdir()
    (folder / "2025_01_01_000000_create_posts_table.py").write_text(POSTS)
    (folder / "2025_01_02_000000_create_comments_table.py").write_text(COMMENTS)
    return folder


def _run(database_url: str, versions: Path, *args: str, **env: str) -> tuple[int, str, str]:
    result = artisan(*args, "--path", str(versions), env={"DATABASE_URL": database_url, **env})
    return result.exit_code, result.stdout, result.stderr


def _status(database_url: str, versions: Path) -> dict[str, str]:
    code, out, err = _run(database_url, versions, "migrate:status")
    assert code == 0, err
    rows = [line.split() for line in out.splitlines()[2:]]
    return {row[0]: row[-1] for row in rows}


def test_migrate_runs_pending_migrations_once(database_url: str, versions: Path) -> None:
    assert _status(database_url, versions) == {"a1_posts": "No", "b2_comments": "No"}

    code, out, _ = _run(database_url, versions, "migrate")

    assert code == 0
    assert "INFO  Running migrations." in out
    assert re.search(r"^  a1_posts create posts table \.+ DONE$", out, re.M)
    assert out.index("a1_posts") < out.index("b2_comments")
    assert _status(database_url, versions) == {"a1_posts": "Yes", "b2_comments": "Yes"}

    code, out, _ = _run(database_url, versions, "migrate")

    assert code == 0
    assert "Nothing to migrate." in out


def test_status_shows_migration_description_and_whether_it_ran(
    database_url: str, versions: Path
) -> None:
    _run(database_url, versions, "migrate")
    _run(database_url, versions, "migrate:rollback")

    code, out, _ = _run(database_url, versions, "migrate:status")

    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["Migration", "Description", "Ran?"]
    assert lines[2].split() == ["a1_posts", "create", "posts", "table", "Yes"]
    assert lines[3].split() == ["b2_comments", "create", "comments", "table", "No"]


def test_rollback_undoes_the_last_steps(database_url: str, versions: Path) -> None:
    _run(database_url, versions, "migrate")

    code, out, _ = _run(database_url, versions, "migrate:rollback")

    assert code == 0
    assert "b2_comments" in out and "a1_posts" not in out
    assert _status(database_url, versions) == {"a1_posts": "Yes", "b2_comments": "No"}

    _run(database_url, versions, "migrate")
    code, out, _ = _run(database_url, versions, "migrate:rollback", "--step", "5")

    assert code == 0
    assert out.index("b2_comments") < out.index("a1_posts")  # newest first
    assert _status(database_url, versions) == {"a1_posts": "No", "b2_comments": "No"}

    code, out, _ = _run(database_url, versions, "migrate:rollback")

    assert "Nothing to rollback." in out


def test_fresh_drops_everything_and_migrates_again(database_url: str, versions: Path) -> None:
    _run(database_url, versions, "migrate")
    _run(database_url, versions, "migrate:rollback")

    code, out, _ = _run(database_url, versions, "migrate:fresh")

    assert code == 0
    assert "a1_posts" in out and "b2_comments" in out
    assert _status(database_url, versions) == {"a1_posts": "Yes", "b2_comments": "Yes"}


def test_fresh_with_seed_runs_the_default_seeder(database_url: str) -> None:
    env = {
        "DATABASE_URL": database_url,
        "DB_SEEDER": "tests.foundry.console.sample_seeders.ShopSeeder",
    }
    result = artisan("migrate:fresh", "--seed", env=env)

    assert result.exit_code == 0, result.output
    assert "ShopSeeder" in result.stdout and "ProductSeeder" in result.stdout
    assert "Database seeding completed successfully" in result.stdout


@pytest.mark.parametrize("command", ["migrate", "migrate:rollback", "migrate:fresh"])
def test_production_refuses_without_force(database_url: str, versions: Path, command: str) -> None:
    _run(database_url, versions, "migrate")
    _run(database_url, versions, "migrate:rollback")  # one to run, one to roll back
    before = _status(database_url, versions)

    code, _, err = _run(database_url, versions, command, APP_ENV="production")

    assert code == 1
    assert "production" in err and "--force" in err
    assert _status(database_url, versions) == before

    code, _, err = _run(database_url, versions, command, "--force", APP_ENV="production")

    assert code == 0, err


def test_make_migration_writes_a_pending_revision(database_url: str, versions: Path) -> None:
    code, out, _ = _run(database_url, versions, "make:migration", "create_tags_table")

    assert code == 0
    created = sorted(set(versions.glob("*_create_tags_table.py")))
    assert len(created) == 1
    assert re.fullmatch(r"\d{4}_\d{2}_\d{2}_\d{6}_create_tags_table\.py", created[0].name)
    assert f"Migration [{created[0]}] created successfully." in out
    status = _status(database_url, versions)
    assert list(status.values()) == ["No", "No", "No"]


def test_make_migration_rejects_a_name_that_is_not_one(tmp_path: Path) -> None:
    result = artisan("make:migration", "../escape", "--path", str(tmp_path))

    assert result.exit_code == 1
    assert 'Invalid migration name "../escape"' in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_status_without_migrations_says_so(database_url: str, tmp_path: Path) -> None:
    code, out, _ = _run(database_url, tmp_path, "migrate:status")

    assert code == 0
    assert "No migrations found." in out


def test_a_broken_migration_fails_with_one_line(database_url: str, versions: Path) -> None:
    (versions / "2025_01_03_000000_broken.py").write_text(
        COMMENTS.replace("b2_comments", "c3_broken")
        .replace('"a1_posts"', '"b2_comments"')
        .replace('"comments"', '"posts"')
    )

    code, out, err = _run(database_url, versions, "migrate")

    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("  ERROR  ")
    assert "Traceback" not in err


def test_make_migration_autogenerate_compares_with_the_database(
    database_url: str, versions: Path
) -> None:
    _run(database_url, versions, "migrate")

    code, out, err = _run(database_url, versions, "make:migration", "sync models", "--autogenerate")

    assert code == 0, err
    created = list(versions.glob("*_sync_models.py"))
    assert len(created) == 1
    # It follows the newest revision: autogenerate ran against the migrated database.
    assert re.search(r'^down_revision\b.*= "b2_comments"$', created[0].read_text(), re.M)
