"""``about``: environment, versions and drivers from config, connecting to nothing."""

from __future__ import annotations

import json
import re

from tests.foundry.console.helpers import artisan


def _value(output: str, label: str) -> str:
    match = re.search(rf"^  {re.escape(label)} \.+ (.+)$", output, re.M)
    assert match, f"{label!r} not in:\n{output}"
    return match.group(1)


def test_shows_the_environment_and_the_drivers() -> None:
    result = artisan(
        "about",
        env={"APP_NAME": "Shop", "APP_DEBUG": "true", "DATABASE_URL": "postgresql://u@db/shop"},
    )

    assert result.exit_code == 0, result.output
    assert _value(result.stdout, "Application Name") == "Shop"
    assert _value(result.stdout, "Environment") == "testing"
    assert _value(result.stdout, "Debug Mode") == "ENABLED"
    assert _value(result.stdout, "Database") == "pgsql (asyncpg)"
    assert re.fullmatch(r"\d+\.\d+\.\d+", _value(result.stdout, "FastAPI Version"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", _value(result.stdout, "SQLAlchemy Version"))


def test_reflects_the_configured_stores() -> None:
    result = artisan("about", env={"CACHE_STORE": "redis", "LOG_LEVEL": "debug"})

    assert _value(result.stdout, "Cache") == "redis"
    assert _value(result.stdout, "Log Level") == "DEBUG"
    assert _value(result.stdout, "Database") == "sqlite (aiosqlite)"


def test_json_gives_snake_case_keys_per_section() -> None:
    result = artisan("about", "--json", env={"APP_ENV": "production"})

    data = json.loads(result.stdout)
    assert set(data) == {"environment", "drivers"}
    assert data["environment"]["environment"] == "production"
    assert data["environment"]["debug_mode"] == "OFF"
    assert data["drivers"]["database"] == "sqlite (aiosqlite)"


def test_only_limits_the_output_to_one_section() -> None:
    result = artisan("about", "--only", "drivers", "--json")

    assert list(json.loads(result.stdout)) == ["drivers"]

    unknown = artisan("about", "--only", "nope")

    assert unknown.exit_code == 1
    assert 'No section "nope"' in unknown.stderr


def test_a_database_that_does_not_exist_is_not_touched() -> None:
    # about reads config only: an unreachable server is no error.
    result = artisan("about", env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})

    assert result.exit_code == 0
    assert _value(result.stdout, "Database") == "pgsql (asyncpg)"
