"""Database settings: SQLite in storage/ by default, PostgreSQL when ``DATABASE_URL`` says so."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from foundry.config.base import BASE_PATH, Settings

DEFAULT_SQLITE_PATH = BASE_PATH / "storage" / "database.sqlite"
#: The application's migration revisions; the framework's ship in ``foundry/database/migrations``.
DEFAULT_MIGRATIONS_PATH = BASE_PATH / "database" / "migrations" / "versions"


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
    #: Seconds a request waits for a free pooled connection before it is answered with a 503.
    pool_timeout: float = Field(default=5.0, gt=0, validation_alias="DB_POOL_TIMEOUT")
    #: Seconds a new connection may take, handshake included, before the attempt fails
    #: (PostgreSQL).
    connect_timeout: float = Field(default=5.0, gt=0, validation_alias="DB_CONNECT_TIMEOUT")
    #: Seconds one statement of the application may run (PostgreSQL): the server cancels it
    #: (``statement_timeout``) and the client gives up waiting (asyncpg's ``command_timeout``),
    #: so a slow, locked or frozen server answers a request with a 503 instead of holding it.
    #: ``0`` turns both off. Migrations and other one-off tools are not limited.
    statement_timeout: float = Field(default=5.0, ge=0, validation_alias="DB_STATEMENT_TIMEOUT")
    #: Seconds an SQLite writer waits for another writer's lock before "database is locked".
    busy_timeout: float = Field(default=5.0, ge=0, validation_alias="DB_BUSY_TIMEOUT")
    #: Seconds the readiness check waits for ``SELECT 1`` before calling the database down.
    ping_timeout: float = Field(default=2.0, gt=0, validation_alias="DB_PING_TIMEOUT")
    #: The application's models package: it and its submodules are imported so that
    #: ``make:migration --autogenerate`` sees every table (the framework's are found on their own).
    models_package: str = Field(
        default="app.models", min_length=1, validation_alias="DB_MODELS_PACKAGE"
    )
    #: Extra modules (dotted paths) whose models the migrations should know about, beyond
    #: ``DB_MODELS_PACKAGE`` and the framework's own tables.
    model_modules: list[str] = Field(default_factory=list, validation_alias="DB_MODEL_MODULES")
    #: The application's migration revisions (``make:migration`` writes here). ``migrate`` runs
    #: them together with the framework's own (``foundry/database/migrations/versions``).
    migrations_path: Path = Field(
        default=DEFAULT_MIGRATIONS_PATH, validation_alias="DB_MIGRATIONS_PATH"
    )
    #: The seeder ``db:seed`` and ``migrate:fresh --seed`` run when given none: a class in
    #: ``database.seeders`` (``DatabaseSeeder``) or a dotted path.
    seeder: str = Field(default="DatabaseSeeder", min_length=1, validation_alias="DB_SEEDER")

    @field_validator("url")
    @classmethod
    def _with_async_driver(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("migrations_path")
    @classmethod
    def _from_project_root(cls, value: Path) -> Path:
        return value if value.is_absolute() else BASE_PATH / value

    @property
    def default(self) -> str:
        """The connection name, as Laravel's ``database.default``: ``sqlite`` or ``pgsql``."""
        return "pgsql" if self.url.startswith("postgresql") else "sqlite"


SETTINGS = DatabaseSettings
