"""``key:generate``: a valid key written to the dotenv file, and never lost by accident."""

from __future__ import annotations

import stat
from pathlib import Path

from foundry.kernel.keys import parse_key
from tests.foundry.console.helpers import artisan


def _key_in(path: Path) -> str:
    lines = [line for line in path.read_text().splitlines() if line.startswith("APP_KEY=")]
    assert len(lines) == 1, lines
    return lines[0].removeprefix("APP_KEY=")


def test_writes_a_valid_key_to_the_env_file(tmp_env_file: Path) -> None:
    result = artisan("key:generate", "--env-file", str(tmp_env_file))

    assert result.exit_code == 0, result.output
    assert len(parse_key(_key_in(tmp_env_file))) == 32
    assert f"Application key set successfully in [{tmp_env_file}]." in result.stdout
    # The file holds a secret: only its owner may read it.
    assert stat.S_IMODE(tmp_env_file.stat().st_mode) == 0o600


def test_a_missing_env_file_is_created_from_env_example(tmp_env_file: Path) -> None:
    tmp_env_file.with_name(".env.example").write_text("APP_NAME=Shop\nAPP_KEY=\nAPP_DEBUG=true\n")

    artisan("key:generate", "--env-file", str(tmp_env_file))

    text = tmp_env_file.read_text()
    assert text.startswith("APP_NAME=Shop\nAPP_KEY=base64:")
    assert text.endswith("APP_DEBUG=true\n")


def test_replaces_the_existing_key_and_keeps_other_lines(tmp_env_file: Path) -> None:
    tmp_env_file.write_text("APP_NAME=Shop\nAPP_KEY=base64:old\nDB_ECHO=false\n")

    artisan("key:generate", "--env-file", str(tmp_env_file))

    text = tmp_env_file.read_text()
    assert "base64:old" not in text
    assert text.startswith("APP_NAME=Shop\n") and text.endswith("DB_ECHO=false\n")
    parse_key(_key_in(tmp_env_file))


def test_show_prints_a_key_and_writes_nothing(tmp_env_file: Path) -> None:
    result = artisan("key:generate", "--show", "--env-file", str(tmp_env_file))

    assert result.exit_code == 0
    assert len(parse_key(result.stdout.strip())) == 32
    assert not tmp_env_file.exists()


def test_production_keeps_an_existing_key_without_force(tmp_env_file: Path) -> None:
    tmp_env_file.write_text("APP_KEY=base64:keep-me\n")

    refused = artisan(
        "key:generate", "--env-file", str(tmp_env_file), env={"APP_ENV": "production"}
    )

    assert refused.exit_code == 1
    assert "use --force" in refused.stderr
    assert _key_in(tmp_env_file) == "base64:keep-me"

    forced = artisan(
        "key:generate",
        "--force",
        "--env-file",
        str(tmp_env_file),
        env={"APP_ENV": "production"},
    )

    assert forced.exit_code == 0
    parse_key(_key_in(tmp_env_file))


def test_production_may_set_a_first_key(tmp_env_file: Path) -> None:
    tmp_env_file.write_text("APP_ENV=production\nAPP_KEY=\n")

    result = artisan("key:generate", "--env-file", str(tmp_env_file), env={"APP_ENV": "production"})

    assert result.exit_code == 0
    parse_key(_key_in(tmp_env_file))


def test_default_path_is_the_env_file_the_settings_read(tmp_env_file: Path) -> None:
    result = artisan("key:generate", env={"APP_ENV_FILE": str(tmp_env_file)})

    assert result.exit_code == 0
    parse_key(_key_in(tmp_env_file))


def test_without_any_env_file_in_use_it_refuses_to_guess(tmp_env_file: Path) -> None:
    # The test suite runs with APP_ENV_FILE="" (read no dotenv file).
    result = artisan("key:generate")

    assert result.exit_code == 1
    assert "No dotenv file is in use" in result.stderr


def test_warns_when_the_environment_overrides_the_file(tmp_env_file: Path) -> None:
    result = artisan("key:generate", "--env-file", str(tmp_env_file))

    assert "APP_KEY is also set in the environment" in result.stdout

    quiet = artisan("key:generate", "--env-file", str(tmp_env_file), env={"APP_KEY": None})

    assert "also set in the environment" not in quiet.stdout
