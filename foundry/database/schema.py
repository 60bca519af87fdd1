"""Schema-wide operations that alembic has no command for."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.dialects.postgresql.base import PGInspector
from sqlalchemy.engine import Connection

__all__ = ["drop_all_tables"]


def drop_all_tables(connection: Connection) -> list[str]:
    """Drop every table of the connection's default schema; returns their names.

    On PostgreSQL the tables go in one ``DROP ... CASCADE`` (foreign keys in any order, even in
    cycles) and enum types left behind by native enums go too, or the next ``CREATE TYPE``
    would fail. On SQLite the caller's connection must have foreign keys off, which is what
    makes the order irrelevant there.
    """
    inspector = inspect(connection)
    names = sorted(inspector.get_table_names())
    quote = connection.dialect.identifier_preparer.quote
    if connection.dialect.name == "postgresql":
        if names:
            connection.exec_driver_sql(
                "DROP TABLE IF EXISTS " + ", ".join(quote(name) for name in names) + " CASCADE"
            )
        if isinstance(inspector, PGInspector):
            schema = inspector.default_schema_name
            for enum in inspector.get_enums(schema=schema):
                connection.exec_driver_sql(f"DROP TYPE IF EXISTS {quote(enum['name'])} CASCADE")
        return names
    for name in names:
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {quote(name)}")
    return names
