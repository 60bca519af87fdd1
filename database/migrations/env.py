"""Alembic environment: Foundry's models and engine, batch mode so SQLite can alter tables.

Run through ``artisan migrate*`` (``foundry.database.migrator.Migrator`` passes the URL,
settings and model metadata in ``config.attributes``) or through the plain ``alembic`` CLI with
``alembic.ini``, which reads ``DATABASE_URL`` like the app does.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Collection, Mapping
from logging.config import fileConfig
from pathlib import Path
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from alembic.runtime.migration import MigrationContext, MigrationInfo
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

import foundry
from foundry.config.database import DatabaseSettings, normalize_database_url
from foundry.database.base import Base
from foundry.database.blocking import run_blocking
from foundry.database.engine import create_engine
from foundry.database.types import UtcDateTime

config = context.config


def load_models(settings: DatabaseSettings) -> None:
    """Import every module that declares tables, so ``Base.metadata`` knows them all.

    That is the framework's own tables (each ``foundry/<package>/tables`` or ``models``: jobs,
    roles, OAuth2 clients...), ``app.models`` (with its submodules) and ``DB_MODEL_MODULES``.
    """
    names: list[str] = []
    for info in pkgutil.iter_modules(foundry.__path__):
        package_dir = Path(foundry.__path__[0]) / info.name
        for kind in ("tables", "models"):
            if info.ispkg and (
                (package_dir / f"{kind}.py").is_file() or (package_dir / kind).is_dir()
            ):
                names.append(f"foundry.{info.name}.{kind}")
    if importlib.util.find_spec("app.models") is not None:
        names.append("app.models")
    names.extend(settings.model_modules)
    for name in names:
        module = importlib.import_module(name)
        if hasattr(module, "__path__"):
            for sub in pkgutil.walk_packages(module.__path__, prefix=f"{name}."):
                importlib.import_module(sub.name)


def target_metadata(settings: DatabaseSettings) -> MetaData:
    given = config.attributes.get("metadata")
    if isinstance(given, MetaData):
        return given
    load_models(settings)
    return Base.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write ``UtcDateTime`` columns as plain ``sa.DateTime(timezone=True)``.

    The conversion to UTC happens in Python; the database sees an ordinary timestamp, and
    migration files stay free of imports from the app.
    """
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


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


def run_on(connection: Connection, metadata: MetaData) -> None:
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


async def run_online(url: str, settings: DatabaseSettings, metadata: MetaData) -> None:
    engine = create_engine(settings, url=url, pooled=False, foreign_keys=False)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_on, metadata)
    finally:
        await engine.dispose()


def run_offline(url: str, metadata: MetaData) -> None:
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
        given_settings if isinstance(given_settings, DatabaseSettings) else DatabaseSettings.load()
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
