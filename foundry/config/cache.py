"""Cache settings: the default store, the key prefix and each store's own settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from foundry.config.base import BASE_PATH, Settings

DEFAULT_CACHE_PATH = BASE_PATH / "storage" / "framework" / "cache"


class CacheSettings(Settings):
    """``CACHE_*`` variables.

    ``CACHE_STORE`` names the default store: ``array`` (in process), ``file`` (the embedded
    default, shared by every process on the machine) or ``redis`` (shared by every machine, on
    ``REDIS_URL``). Stores added with ``CacheManager.extend`` may be named here too.
    """

    store: str = Field(default="file", min_length=1, validation_alias="CACHE_STORE")
    #: Prepended to every key, so apps sharing a directory or a Redis server stay apart. On Redis
    #: the full key is ``REDIS_PREFIX`` + ``CACHE_PREFIX`` + key.
    prefix: str = Field(default="cache:", validation_alias="CACHE_PREFIX")
    #: Where the file store keeps its entries (one file per key) and its lock files.
    path: Path = Field(default=DEFAULT_CACHE_PATH, validation_alias="CACHE_PATH")
    #: How long the file store waits for its internal guard before giving up, in seconds.
    file_lock_timeout: float = Field(default=10.0, gt=0, validation_alias="CACHE_FILE_LOCK_TIMEOUT")

    @field_validator("path")
    @classmethod
    def _from_project_root(cls, value: Path) -> Path:
        # A relative CACHE_PATH means the same directory whatever the worker's working directory.
        return value if value.is_absolute() else BASE_PATH / value


SETTINGS = CacheSettings
