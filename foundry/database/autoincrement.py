"""``AUTOINCREMENT`` for integer primary keys on SQLite, so a deleted row's id is never reused.

Without it SQLite hands out ``max(id) + 1``: delete the newest user and the next one gets its
id, and a queued job (which stores models by id) or a token left behind would act on the new
row. PostgreSQL sequences never go back, so this only changes SQLite's DDL.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite

__all__ = ["autoincrement_on_sqlite", "wants_sqlite_autoincrement"]

_SQLITE = sqlite.dialect()


def wants_sqlite_autoincrement(table: Table) -> bool:
    """Whether ``table``'s key is one ``INTEGER`` column SQLite can give ``AUTOINCREMENT``.

    That is a single-column primary key that compiles to ``INTEGER`` there (SQLite refuses the
    keyword on ``BIGINT``: use ``BigInteger().with_variant(Integer(), "sqlite")``), is not a
    foreign key (joined inheritance, one-to-one) and is not ``autoincrement=False``.
    """
    columns = list(table.primary_key.columns)
    if len(columns) != 1:
        return False
    column = columns[0]
    return (
        column.autoincrement is not False
        and not column.foreign_keys
        and column.type.compile(dialect=_SQLITE) == "INTEGER"
    )


def autoincrement_on_sqlite(table: Table) -> Table:
    """Give ``table`` ``sqlite_autoincrement=True`` when its key can take it; returns it.

    The option is a table keyword, so alembic's autogenerate writes it into ``create_table``.
    A table that states it (``__table_args__ = {"sqlite_autoincrement": False}``) keeps its
    choice.
    """
    # Iterating the view lists only the options given (``in`` would see every known one).
    stated = set(table.dialect_kwargs)
    if "sqlite_autoincrement" not in stated and wants_sqlite_autoincrement(table):
        table.dialect_options["sqlite"]["autoincrement"] = True
    return table
