"""The test application's models and migrations."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from foundry.config.database import DatabaseSettings
from tests.foundry.testbench import MIGRATIONS_PATH

__all__ = ["DatabaseConfig"]


class DatabaseConfig(DatabaseSettings):
    """Its models package and its migrations, run after the framework's own."""

    models_package: str = Field(
        default="tests.foundry.testbench.models", min_length=1, validation_alias="DB_MODELS_PACKAGE"
    )
    migrations_path: Path = Field(default=MIGRATIONS_PATH, validation_alias="DB_MIGRATIONS_PATH")


SETTINGS = DatabaseConfig
