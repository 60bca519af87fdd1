"""``migrate``, ``migrate:rollback``, ``migrate:fresh`` and ``migrate:status`` over alembic.

The :class:`Migrator` is synchronous (alembic drives its own event loop for async drivers), so
these commands call it directly, outside any running loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from foundry.config.database import DatabaseSettings
from foundry.console.output import Output
from foundry.console.runtime import confirm_in_production, load_config
from foundry.kernel.config import ConfigRepository

if TYPE_CHECKING:
    from foundry.database.migrator import Migrator

__all__ = ["migrate", "migrate_fresh", "migrate_rollback", "migrate_status", "migrator_for"]

ForceOption = Annotated[bool, typer.Option("--force", help="Run in production without asking")]
SeedOption = Annotated[bool, typer.Option("--seed", help="Run the database seeder afterwards")]
PathOption = Annotated[
    Path | None,
    typer.Option(
        "--path",
        file_okay=False,
        help="The directory of the migration files (default: database/migrations/versions)",
    ),
]


def migrator_for(config: ConfigRepository, path: Path | None = None) -> Migrator:
    """A migrator on the configured ``DATABASE_URL``, over ``path`` when given."""
    from foundry.database.migrator import Migrator

    settings = config.settings(DatabaseSettings)
    return Migrator(settings.url, versions_path=path, settings=settings)


def migrate(force: ForceOption = False, seed: SeedOption = False, path: PathOption = None) -> None:
    """Run the database migrations that have not run yet (alembic upgrade to head)."""
    config = load_config()
    confirm_in_production(config, force=force)
    output = Output()
    output.info("Running migrations.")
    migrator = migrator_for(config, path)
    _report(output, migrator, migrator.upgrade(), "Nothing to migrate.")
    if seed:
        _seed(config, output)


def migrate_rollback(
    step: Annotated[
        int, typer.Option("--step", min=1, help="How many migrations to roll back")
    ] = 1,
    force: ForceOption = False,
    path: PathOption = None,
) -> None:
    """Roll back the last migrations (one unless --step says more)."""
    config = load_config()
    confirm_in_production(config, force=force)
    output = Output()
    output.info("Rolling back migrations.")
    migrator = migrator_for(config, path)
    _report(output, migrator, migrator.rollback(step), "Nothing to rollback.")


def migrate_fresh(
    seed: SeedOption = False, force: ForceOption = False, path: PathOption = None
) -> None:
    """Drop all tables and re-run all migrations."""
    config = load_config()
    confirm_in_production(config, force=force)
    output = Output()
    output.info("Dropping all tables and running all migrations.")
    migrator = migrator_for(config, path)
    _report(output, migrator, migrator.fresh(), "Nothing to migrate.")
    if seed:
        _seed(config, output)


def migrate_status(path: PathOption = None) -> None:
    """Show each migration, its description and whether it has run."""
    statuses = migrator_for(load_config(), path).status()
    output = Output()
    if not statuses:
        output.info("No migrations found.")
        return
    output.table(
        ["Migration", "Description", "Ran?"],
        [
            [status.revision, status.description, "Yes" if status.applied else "No"]
            for status in statuses
        ],
    )


def _report(output: Output, migrator: Migrator, revisions: list[str], nothing: str) -> None:
    if not revisions:
        output.info(nothing)
        return
    # The migrator answers with revision ids; their descriptions say what each one did.
    described = {status.revision: status.description for status in migrator.status()}
    for revision in revisions:
        description = described.get(revision, "")
        output.task(f"{revision} {description}" if description else revision)


def _seed(config: ConfigRepository, output: Output) -> None:
    from foundry.console.commands.seed import default_seeder, seed_database

    output.line()
    seed_database(config, default_seeder(config), output)
