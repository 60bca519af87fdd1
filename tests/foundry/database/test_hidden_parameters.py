"""A failing statement's error (and so any log line of it) never shows the bound values."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from foundry.config.database import DatabaseSettings
from foundry.database.engine import create_engine

SECRET = "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0$aGFzaA"


async def test_a_database_error_does_not_carry_its_parameters(database_url: str) -> None:
    engine = create_engine(DatabaseSettings.load(), url=database_url, pooled=False)
    try:
        async with engine.connect() as connection:
            with pytest.raises(DBAPIError) as raised:
                await connection.execute(
                    text("INSERT INTO no_such_table (password) VALUES (:password)"),
                    {"password": SECRET},
                )
    finally:
        await engine.dispose()

    assert SECRET not in str(raised.value)
    assert "hidden due to hide_parameters" in str(raised.value)
