"""``db:show``: the database, its server version and its tables with their sizes."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated

import typer

from foundry.config.database import DatabaseSettings
from foundry.console.output import Output
from foundry.console.runtime import load_config

__all__ = ["DatabaseOverview", "TableOverview", "db_show"]


@dataclass(frozen=True, slots=True)
class TableOverview:
    """One table: its size on disk in bytes and its rows (``None`` where not cheap to know)."""

    name: str
    size: int | None
    rows: int | None


@dataclass(frozen=True, slots=True)
class DatabaseOverview:
    """What ``db:show`` prints."""

    driver: str
    database: str
    version: str
    size: int | None
    tables: list[TableOverview]


def _human(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return str(size)


async def overview(settings: DatabaseSettings, *, counts: bool) -> DatabaseOverview:
    """Read the overview of the configured database."""
    from sqlalchemy import inspect, text
    from sqlalchemy.engine import Connection
    from sqlalchemy.exc import OperationalError

    from foundry.database.engine import create_engine

    engine = create_engine(settings, pooled=False)

    def read(connection: Connection) -> DatabaseOverview:
        dialect = connection.dialect.name
        quote = connection.dialect.identifier_preparer.quote
        names = sorted(inspect(connection).get_table_names())
        sizes: dict[str, int] = {}
        estimates: dict[str, int] = {}
        if dialect == "postgresql":
            version = str(connection.scalar(text("SHOW server_version")))
            database = str(connection.scalar(text("SELECT current_database()")))
            total = connection.scalar(text("SELECT pg_database_size(current_database())"))
            # The planner's estimate costs nothing; -1 means "never analysed" (unknown).
            for name, size, estimate in connection.execute(
                text(
                    "SELECT c.relname, pg_total_relation_size(c.oid), c.reltuples::bigint "
                    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
                )
            ):
                sizes[name] = int(size)
                if estimate >= 0:
                    estimates[name] = int(estimate)
        else:
            version = str(connection.scalar(text("SELECT sqlite_version()")))
            database = str(connection.engine.url.database or ":memory:")
            page_size = int(connection.scalar(text("PRAGMA page_size")) or 0)
            total = page_size * int(connection.scalar(text("PRAGMA page_count")) or 0)
            try:  # dbstat is compiled into most SQLite builds, not all
                for name, size in connection.execute(
                    text("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
                ):
                    sizes[name] = int(size)
            except OperationalError:  # "no such table: dbstat": sizes stay unknown
                connection.rollback()
        tables = []
        for name in names:
            rows = estimates.get(name)
            if counts:
                rows = int(connection.scalar(text(f"SELECT COUNT(*) FROM {quote(name)}")) or 0)
            tables.append(TableOverview(name, sizes.get(name), rows))
        return DatabaseOverview(dialect, database, version, int(total or 0), tables)

    try:
        async with engine.connect() as connection:
            return await connection.run_sync(read)
    finally:
        await engine.dispose()


def db_show(
    counts: Annotated[
        bool, typer.Option("--counts", help="Count each table's rows (a scan per table)")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the overview as JSON")] = False,
) -> None:
    """Show the database: driver, name, server version, size, and its tables.

    Table sizes come from the database's catalogue (PostgreSQL; SQLite when built with dbstat);
    rows are PostgreSQL's planner estimate unless --counts asks for exact counts.
    """
    import asyncio

    info = asyncio.run(overview(load_config().settings(DatabaseSettings), counts=counts))
    output = Output()
    if as_json:
        output.json(asdict(info))
        return
    output.two_column("Driver", info.driver)
    output.two_column("Database", info.database)
    output.two_column("Version", info.version)
    output.two_column("Size", _human(info.size))
    output.two_column("Tables", str(len(info.tables)))
    output.line()
    output.table(
        ["Table", "Size", "Rows"],
        [[t.name, _human(t.size), "" if t.rows is None else str(t.rows)] for t in info.tables],
    )
