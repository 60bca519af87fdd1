"""``artisan list``/``help``: the listing, help pages, typos, and no heavy imports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from foundry.config.base import BASE_PATH
from foundry.console.manifest import BUILTIN_COMMANDS
from tests.foundry.console.helpers import artisan, artisan_process

#: What `artisan list` must never import: the web stack, the ORM, migrations, drivers, batteries.
HEAVY = (
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "alembic",
    "asyncpg",
    "aiosqlite",
    "redis",
    "pydantic",
    "foundry.kernel.application",
    "foundry.database",
    "foundry.cache",
    "foundry.queue",
    "foundry.events",
    "foundry.rate_limiting",
    "foundry.http",
)


def _section(output: str, heading: str) -> list[str]:
    lines = output.splitlines()
    start = lines.index(heading) + 1
    block: list[str] = []
    for line in lines[start:]:
        if not line.strip():
            break
        block.append(line)
    return block


def test_list_groups_commands_by_namespace_top_level_first() -> None:
    result = artisan("list")

    assert result.exit_code == 0
    block = _section(result.stdout, "Available commands:")
    names = [line.split()[0] for line in block]
    headings = [name for name, line in zip(names, block) if not line.startswith("  ")]
    assert headings == [
        "activitylog",
        "auth",
        "broadcast",
        "cache",
        "config",
        "db",
        "event",
        "jwt",
        "key",
        "make",
        "mfa",
        "migrate",
        "model",
        "notifications",
        "oauth",
        "permission",
        "queue",
        "route",
        "schedule",
        "storage",
        "user",
        "webpush",
    ]
    # Top-level commands come before the first namespace heading, alphabetically.
    top = names[: names.index(headings[0])]
    assert top == sorted(top)
    assert {"about", "down", "help", "list", "migrate", "serve", "tinker", "up"} <= set(top)
    # Each namespaced command sits under its heading.
    assert names[names.index("migrate", names.index("db")) + 1 :][:5] == [
        "migrate:fresh",
        "migrate:refresh",
        "migrate:reset",
        "migrate:rollback",
        "migrate:status",
    ]
    assert re.search(r"^  db:seed\s+Seed the database with records$", result.stdout, re.M)


def test_artisan_without_arguments_lists_the_commands() -> None:
    bare = artisan()
    listed = artisan("list")

    assert bare.exit_code == 0
    assert bare.stdout == listed.stdout
    assert artisan("--help").stdout == listed.stdout


def test_list_namespace_shows_only_that_namespace() -> None:
    result = artisan("list", "migrate")

    assert result.exit_code == 0
    names = [
        line.split()[0]
        for line in _section(result.stdout, 'Available commands for the "migrate" namespace:')
    ]
    assert names == [
        "migrate",
        "migrate:fresh",
        "migrate:refresh",
        "migrate:reset",
        "migrate:rollback",
        "migrate:status",
    ]


def test_list_of_an_unknown_namespace_fails() -> None:
    result = artisan("list", "nope")

    assert result.exit_code == 1
    assert 'There are no commands defined in the "nope" namespace.' in result.stderr


def test_list_raw_prints_one_command_per_line() -> None:
    result = artisan("list", "--raw")

    lines = result.stdout.splitlines()
    # The built-in commands, and whatever commands the application adds of its own.
    names = [line.split(None, 1)[0] for line in lines]
    assert len(names) == len(set(names))
    assert {spec.name for spec in BUILTIN_COMMANDS} <= set(names)
    assert all(len(line.split(None, 1)) == 2 for line in lines)
    assert any(line.startswith("route:list ") for line in lines)


def test_unknown_command_suggests_the_closest_and_exits_with_1() -> None:
    result = artisan("migrate:stat")

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        'ERROR  Command "migrate:stat" is not defined. '
        "Did you mean migrate:status, migrate:reset, migrate?"
    )


def test_help_command_and_help_option_show_the_options_of_a_command() -> None:
    via_help = artisan("help", "migrate:rollback")
    via_option = artisan("migrate:rollback", "--help")

    assert via_help.exit_code == 0 and via_option.exit_code == 0
    for output in (via_help.stdout, via_option.stdout):
        assert "artisan migrate:rollback" in output
        assert "--step" in output and "--force" in output
    assert "--raw" in artisan("help", "list").stdout


def test_help_for_an_unknown_command_fails_with_a_suggestion() -> None:
    result = artisan("help", "serv")

    assert result.exit_code == 1
    assert "Did you mean serve" in result.stderr


def test_list_in_a_fresh_interpreter_imports_nothing_heavy() -> None:
    # -X importtime names every module imported, one per line, on stderr.
    result = artisan_process("list", python_flags=("-X", "importtime"))

    assert result.returncode == 0
    assert "Available commands:" in result.stdout
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line
    }
    assert "foundry.console.registry" in imported  # the probe works
    loaded_heavy = sorted(
        name for name in imported if any(name == h or name.startswith(h + ".") for h in HEAVY)
    )
    assert loaded_heavy == []


def test_the_installed_artisan_script_runs_the_console() -> None:
    script = Path(sys.executable).with_name("artisan")
    if not script.exists():
        pytest.skip("the artisan script is not installed (pip install -e .)")

    result = subprocess.run(
        [str(script), "lis"], cwd=BASE_PATH, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 1
    assert "Did you mean list?" in result.stderr
