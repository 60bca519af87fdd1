"""The base class of every config module: pydantic-settings read from the environment and .env."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Self

from pydantic_settings import BaseSettings, SettingsConfigDict

from foundry.config.paths import project_root

__all__ = ["BASE_PATH", "Settings", "env_file"]


#: The project root (the folder holding ``config/``, ``storage/``, ``.env``).
BASE_PATH = project_root()


def env_file() -> Path | None:
    """The dotenv file to read: ``APP_ENV_FILE`` if set (empty means none), else ``.env``."""
    chosen = os.environ.get("APP_ENV_FILE")
    if chosen is None:
        return BASE_PATH / ".env"
    if chosen == "":
        return None
    path = Path(chosen)
    return path if path.is_absolute() else BASE_PATH / path


class Settings(BaseSettings):
    """Environment variables win over ``.env``, which wins over the defaults here."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True, env_file_encoding="utf-8")

    @classmethod
    def load(cls) -> Self:
        """Read the settings now, from the environment and the current dotenv file."""
        return cls(_env_file=env_file())
