"""Canary: asyncpg prints a server error's ``detail`` (``DETAIL: Failing row contains ...``)
from the attribute ``foundry.database.error_details`` clears, and only from there."""

from __future__ import annotations

from asyncpg import PostgresError


def test_asyncpg_error_text_shows_detail_only_while_it_is_set() -> None:
    error = PostgresError("new row violates check constraint")
    error.detail = "Failing row contains (1, ada@example.com)"
    assert "ada@example.com" in str(error)

    error.detail = None

    assert str(error) == "new row violates check constraint"
