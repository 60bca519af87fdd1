"""``tinker`` (top-level await, models at hand, a session that commits) and ``db:show``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from foundry.config.base import BASE_PATH
from tests.foundry.console.helpers import artisan

CREATE_USER = """
user = User(name="Ada", email="ada@example.com", password="x")
session.add(user)
await session.commit()
print("created", user.id, await session.scalar(select(func.count()).select_from(User)))
"""


def _show(database_url: str, *args: str) -> dict[str, object]:
    result = artisan("db:show", "--json", *args, env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert isinstance(shown, dict)
    return shown


def test_tinker_execute_awaits_and_commits_and_db_show_counts_it(database_url: str) -> None:
    env = {"DATABASE_URL": database_url}
    assert artisan("migrate", env=env).exit_code == 0

    result = artisan("tinker", "--execute", CREATE_USER, env=env)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "created 1 1"
    shown = _show(database_url, "--counts")
    tables = {t["name"]: t for t in shown["tables"]}  # type: ignore[attr-defined]
    assert tables["users"]["rows"] == 1 and tables["jobs"]["rows"] == 0
    driver = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    assert shown["driver"] == driver and shown["version"]
    assert isinstance(shown["size"], int) and shown["size"] > 0
    if driver == "postgresql":
        assert database_url.endswith(f"/{shown['database']}")
        assert all(isinstance(t["size"], int) for t in tables.values())


def test_db_show_prints_the_tables(database_url: str) -> None:
    artisan("migrate", env={"DATABASE_URL": database_url})

    result = artisan("db:show", env={"DATABASE_URL": database_url})

    assert result.exit_code == 0, result.stderr
    assert "Tables" in result.stdout and "users" in result.stdout
    assert "alembic_version" in result.stdout


def test_tinker_reads_statements_from_stdin_with_await(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, "-m", "foundry.console", "migrate"], cwd=BASE_PATH, env=env, check=True
    )
    typed = (
        "count = await session.scalar(select(func.count()).select_from(User))\n"
        "print('users:', count)\n"
        "1 / 0\n"
        "for n in range(2):\n"
        "    print('line', n)\n"
        "\n"
    )

    done = subprocess.run(
        [sys.executable, "-m", "foundry.console", "tinker"],
        cwd=BASE_PATH,
        env=env,
        input=typed,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert "top-level await works" in done.stdout
    assert "users: 0" in done.stdout
    assert "ZeroDivisionError" in done.stderr  # reported, and the session went on
    assert "line 0" in done.stdout and "line 1" in done.stdout


def test_tinker_execute_reports_an_incomplete_block(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}"}

    result = artisan("tinker", "--execute", "for x in range(3):", env=env)

    assert result.exit_code == 1
    assert "incomplete" in result.stderr
