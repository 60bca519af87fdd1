"""Database: SQLite in storage/ by default, PostgreSQL when ``DATABASE_URL`` says so.

The framework's defaults are in :class:`foundry.config.database.DatabaseSettings`; every value can be set in the
environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.database import DatabaseSettings

__all__ = ["DatabaseConfig"]


class DatabaseConfig(DatabaseSettings):
    """This application's database settings."""


SETTINGS = DatabaseConfig
