from __future__ import annotations

from pathlib import Path

import pytest

from foundry.config.app import AppSettings
from foundry.config.database import DatabaseSettings
from foundry.kernel.config import ConfigError, ConfigRepository, config, settings
from tests.conftest import MakeApplication


def test_dot_paths_read_the_settings_modules() -> None:
    repo = ConfigRepository.with_environment({"APP_NAME": "Shop", "DATABASE_URL": "sqlite://"})
    assert repo.get("app.name") == "Shop"
    assert repo.get("app.env") == "testing"
    assert repo.get("database.default") == "sqlite"
    assert repo.get("database.url") == "sqlite+aiosqlite://"


def test_unknown_keys_raise_unless_a_default_is_given() -> None:
    repo = ConfigRepository()
    assert repo.get("app.nope", "fallback") == "fallback"
    assert repo.get("nothing.here", 3) == 3
    with pytest.raises(ConfigError, match="no config key 'app.nope'"):
        repo.get("app.nope")
    with pytest.raises(ConfigError, match="no config module named 'nothing'"):
        repo.get("nothing.here")


def test_postgres_urls_get_the_async_driver() -> None:
    repo = ConfigRepository.with_environment({"DATABASE_URL": "postgres://u@h:5432/db"})
    assert repo.settings(DatabaseSettings).url == "postgresql+asyncpg://u@h:5432/db"
    assert repo.get("database.default") == "pgsql"


def test_with_environment_leaves_os_environ_alone() -> None:
    import os

    before = dict(os.environ)
    ConfigRepository.with_environment({"APP_NAME": "Elsewhere"})
    assert dict(os.environ) == before


def test_dotenv_file_is_read_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("APP_NAME=FromDotenv\nAPP_URL=https://dotenv.example\n")
    monkeypatch.setenv("APP_ENV_FILE", str(env_file))
    monkeypatch.setenv("APP_URL", "https://env.example")
    loaded = AppSettings.load()
    assert loaded.name == "FromDotenv"
    assert loaded.url == "https://env.example"


def test_config_helpers_read_the_running_application(make_application: MakeApplication) -> None:
    make_application(APP_NAME="Running")
    assert config("app.name") == "Running"
    assert settings(AppSettings).name == "Running"


def test_an_invalid_environment_is_rejected() -> None:
    with pytest.raises(ValueError, match="local"):
        ConfigRepository.with_environment({"APP_ENV": "staging"})
