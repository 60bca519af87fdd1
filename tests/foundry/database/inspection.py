"""What a database holds, read over a connection of its own (for the migration tests)."""

from __future__ import annotations

from sqlalchemy import Connection, inspect

from foundry.config.database import DatabaseSettings
from foundry.database.blocking import run_blocking
from foundry.database.engine import create_engine

__all__ = ["read_schema"]


def read_schema(url: str) -> dict[str, set[str]]:
    """Table name -> column names, as the database reports them."""

    def read(connection: Connection) -> dict[str, set[str]]:
        inspector = inspect(connection)
        return {
            table: {column["name"] for column in inspector.get_columns(table)}
            for table in inspector.get_table_names()
        }

    async def work() -> dict[str, set[str]]:
        engine = create_engine(DatabaseSettings.load(), url=url, pooled=False)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(read)
        finally:
            await engine.dispose()

    return run_blocking(work)
