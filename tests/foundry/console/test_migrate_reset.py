"""``migrate:reset``, ``migrate:refresh`` and ``db:wipe`` against a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.foundry.console.helpers import artisan
from tests.foundry.console.test_migrate import COMMENTS, POSTS


@pytest.fixture
def versions(tmp_path: Path) -> Path:
    folder = tmp_path / "versions"
    folder.mkdir()
    (folder / "2025_01_01_000000_create_posts_table.py").write_text(POSTS)
    (folder / "2025_01_02_000000_create_comments_table.py").write_text(COMMENTS)
    return folder


def _run(database_url: str, *args: str, **env: str) -> tuple[int, str, str]:
    result = artisan(*args, env={"DATABASE_URL": database_url, **env})
    return result.exit_code, result.stdout, result.stderr


def _status(database_url: str, versions: Path) -> dict[str, str]:
    code, out, err = _run(database_url, "migrate:status", "--path", str(versions))
    assert code == 0, err
    return {row.split()[0]: row.split()[-1] for row in out.splitlines()[2:]}


def _tables(database_url: str) -> list[str]:
    code, out, err = _run(database_url, "db:show", "--json")
    assert code == 0, err
    return [table["name"] for table in json.loads(out)["tables"]]


def test_reset_rolls_back_every_migration(database_url: str, versions: Path) -> None:
    _run(database_url, "migrate", "--path", str(versions))

    code, out, err = _run(database_url, "migrate:reset", "--path", str(versions))

    assert code == 0, err
    assert out.index("b2_comments") < out.index("a1_posts")  # newest first
    assert _status(database_url, versions) == {"a1_posts": "No", "b2_comments": "No"}
    assert _tables(database_url) == ["alembic_version"]
    code, out, _ = _run(database_url, "migrate:reset", "--path", str(versions))
    assert code == 0 and "Nothing to rollback." in out


def test_refresh_rolls_back_and_runs_again(database_url: str, versions: Path) -> None:
    _run(database_url, "migrate", "--path", str(versions))

    code, out, err = _run(database_url, "migrate:refresh", "--path", str(versions))

    assert code == 0, err
    rolled_back, _, migrated = out.partition("Running migrations.")
    assert "b2_comments" in rolled_back and "a1_posts" in rolled_back
    assert "a1_posts" in migrated and "b2_comments" in migrated
    assert _status(database_url, versions) == {"a1_posts": "Yes", "b2_comments": "Yes"}

    code, out, err = _run(database_url, "migrate:refresh", "--step", "1", "--path", str(versions))

    assert code == 0, err
    assert "a1_posts" not in out and out.count("b2_comments") == 2
    assert _status(database_url, versions) == {"a1_posts": "Yes", "b2_comments": "Yes"}


def test_wipe_drops_every_table(database_url: str, versions: Path) -> None:
    _run(database_url, "migrate", "--path", str(versions))
    assert _tables(database_url) == ["alembic_version", "comments", "posts"]

    code, out, err = _run(database_url, "db:wipe")

    assert code == 0, err
    assert "Dropped all tables successfully (3)." in out
    assert _tables(database_url) == []
    assert _status(database_url, versions) == {"a1_posts": "No", "b2_comments": "No"}


@pytest.mark.parametrize(
    "command", [("migrate:reset",), ("migrate:refresh",), ("db:wipe",)], ids=lambda c: c[0]
)
def test_production_refuses_without_force(
    database_url: str, versions: Path, command: tuple[str, ...]
) -> None:
    _run(database_url, "migrate", "--path", str(versions))
    args = (*command, "--path", str(versions)) if command[0] != "db:wipe" else command

    code, _, err = _run(database_url, *args, APP_ENV="production")

    assert code == 1
    assert "production" in err and "--force" in err
    assert _status(database_url, versions) == {"a1_posts": "Yes", "b2_comments": "Yes"}
    assert "posts" in _tables(database_url)

    code, _, err = _run(database_url, *args, "--force", APP_ENV="production")

    assert code == 0, err
