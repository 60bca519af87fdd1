"""Test support: an in-process HTTP client with Laravel-style assertions, and test databases."""

from app.testing.client import TestClient
from app.testing.database import database_transaction, migrate_database, refresh_database
from app.testing.response import TestResponse

__all__ = [
    "TestClient",
    "TestResponse",
    "database_transaction",
    "migrate_database",
    "refresh_database",
]
