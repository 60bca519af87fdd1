"""Alembic environment: Foundry's models and engine, batch mode so SQLite can alter tables.

The framework's and the application's revisions both run here. Run through ``artisan migrate*``
(``foundry.database.migrator.Migrator`` passes the URL, settings and model metadata in
``config.attributes``) or through the plain ``alembic`` CLI with the project's ``alembic.ini``,
which reads ``DATABASE_URL`` like the app does.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from logging.config import fileConfig
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext, MigrationInfo
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from foundry.config.database import DatabaseSettings, normalize_database_url
from foundry.database.base import Base
from foundry.database.blocking import run_blocking
from foundry.database.engine import create_engine
from foundry.database.model_loading import load_models
from foundry.database.table_migration import render_item
from foundry.kernel.config import settings as configured

config = context.config


def target_metadata(settings: DatabaseSettings) -> list[MetaData]:
    """``Base.metadata`` and every other ``MetaData`` the table modules hold.

    The framework's tables are all on ``Base.metadata``; tables an application declares with
    SQLAlchemy Core on a ``MetaData`` of its own count too: without them autogenerate would
    write their ``drop_table``.
    """
    given = config.attributes.get("metadata")
    if isinstance(given, MetaData):
        return [given]
    found = [Base.metadata]
    for module in load_models(settings):
        for value in vars(module).values():
            if isinstance(value, MetaData) and all(value is not seen for seen in found):
                found.append(value)
    return found


def record_step(
    ctx: MigrationContext,
    step: MigrationInfo,
    heads: Collection[Any],
    run_args: Mapping[str, Any],
) -> None:
    """Tell the Migrator which revisions ran (upgrades in order, downgrades newest first)."""
    applied = config.attributes.get("applied")
    if isinstance(applied, list) and not step.is_stamp and step.up_revision_id is not None:
        applied.append(step.up_revision_id)


def run_on(connection: Connection, metadata: list[MetaData]) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # Batch operations work on both databases (on PostgreSQL they are plain ALTERs), so a
        # migration generated against either runs on the other.
        render_as_batch=True,
        # SQLAlchemy begins SQLite transactions itself (see engine.py), so DDL there is
        # transactional too: a failing migration leaves nothing half done.
        transactional_ddl=True,
        compare_type=True,
        render_item=render_item,
        on_version_apply=record_step,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_online(url: str, settings: DatabaseSettings, metadata: list[MetaData]) -> None:
    engine = create_engine(settings, url=url, pooled=False, foreign_keys=False)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_on, metadata)
    finally:
        await engine.dispose()


def run_offline(url: str, metadata: list[MetaData]) -> None:
    context.configure(
        url=url,
        target_metadata=metadata,
        render_as_batch=True,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    if config.config_file_name is not None and config.attributes.get("settings") is None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    given_settings = config.attributes.get("settings")
    settings = (
        given_settings
        if isinstance(given_settings, DatabaseSettings)
        else configured(DatabaseSettings)
    )
    given_url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    url = (
        normalize_database_url(given_url)
        if isinstance(given_url, str) and given_url
        else settings.url
    )
    metadata = target_metadata(settings)
    if context.is_offline_mode():
        run_offline(url, metadata)
    else:
        run_blocking(lambda: run_online(url, settings, metadata))


main()
