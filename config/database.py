"""Database settings: SQLite in storage/ by default, PostgreSQL when ``DATABASE_URL`` says so."""

from __future__ import annotations

from pydantic import Field, field_validator

from config.base import BASE_PATH, Settings

DEFAULT_SQLITE_PATH = BASE_PATH / "storage" / "database.sqlite"


def normalize_database_url(url: str) -> str:
    """Give plain ``postgres://``/``postgresql://``/``sqlite://`` URLs their async driver."""
    for plain, driver in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    return url


class DatabaseSettings(Settings):
    """``DATABASE_URL`` and ``DB_*`` variables."""

    url: str = Field(
        default=f"sqlite+aiosqlite:///{DEFAULT_SQLITE_PATH}", validation_alias="DATABASE_URL"
    )
    echo: bool = Field(default=False, validation_alias="DB_ECHO")
    pool_size: int = Field(default=5, ge=1, validation_alias="DB_POOL_SIZE")
    max_overflow: int = Field(default=10, ge=0, validation_alias="DB_MAX_OVERFLOW")
    pool_timeout: float = Field(default=30.0, gt=0, validation_alias="DB_POOL_TIMEOUT")

    @field_validator("url")
    @classmethod
    def _with_async_driver(cls, value: str) -> str:
        return normalize_database_url(value)

    @property
    def default(self) -> str:
        """The connection name, as Laravel's ``database.default``: ``sqlite`` or ``pgsql``."""
        return "pgsql" if self.url.startswith("postgresql") else "sqlite"


SETTINGS = DatabaseSettings
