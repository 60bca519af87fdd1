"""Test support: an in-process HTTP client with Laravel-style assertions, and test databases."""

from app.testing.assertions import (
    assert_database_count,
    assert_database_has,
    assert_database_missing,
    assert_model_exists,
    assert_model_missing,
    assert_not_soft_deleted,
    assert_query_count,
    assert_soft_deleted,
    count_queries,
)
from app.testing.client import TestClient
from app.testing.database import database_transaction, migrate_database, refresh_database
from app.testing.queue import work_queue
from app.testing.response import TestResponse

__all__ = [
    "TestClient",
    "TestResponse",
    "assert_database_count",
    "assert_database_has",
    "assert_database_missing",
    "assert_model_exists",
    "assert_model_missing",
    "assert_not_soft_deleted",
    "assert_query_count",
    "assert_soft_deleted",
    "count_queries",
    "database_transaction",
    "migrate_database",
    "refresh_database",
    "work_queue",
]
