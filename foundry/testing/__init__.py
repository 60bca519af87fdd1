"""Test support: an in-process HTTP client with Laravel-style assertions, and test databases."""

from foundry.testing.acting_as import TESTING_CLIENT_ID, client_token, user_token
from foundry.testing.assertions import (
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
from foundry.testing.client import TestClient
from foundry.testing.database import database_transaction, migrate_database, refresh_database
from foundry.testing.queue import work_queue
from foundry.testing.response import TestResponse

__all__ = [
    "TESTING_CLIENT_ID",
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
    "client_token",
    "count_queries",
    "database_transaction",
    "migrate_database",
    "refresh_database",
    "user_token",
    "work_queue",
]
