"""``migrate:reset``, ``migrate:refresh`` and ``db:wipe``: the destructive migrate commands.

All three refuse in production unless given ``--force`` (or a typed "yes" on a terminal).
"""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.commands.migrate import (
    ForceOption,
    PathOption,
    SeedOption,
    _report,
    _seed,
    migrator_for,
)
from foundry.console.output import Output
from foundry.console.runtime import confirm_in_production, load_config

__all__ = ["db_wipe", "migrate_refresh", "migrate_reset"]

#: More steps than any project has migrations: rolls back to the base.
_ALL = 1_000_000


def migrate_reset(force: ForceOption = False, path: PathOption = None) -> None:
    """Roll back every migration (each one's ``downgrade``), newest first."""
    config = load_config()
    confirm_in_production(config, force=force)
    output = Output()
    output.info("Rolling back all migrations.")
    migrator = migrator_for(config, path)
    _report(output, migrator, migrator.rollback(_ALL), "Nothing to rollback.")


def migrate_refresh(
    step: Annotated[
        int | None,
        typer.Option("--step", min=1, help="Roll back and re-run only the last N migrations"),
    ] = None,
    seed: SeedOption = False,
    force: ForceOption = False,
    path: PathOption = None,
) -> None:
    """Roll back the migrations (all, or the last --step) and run them again.

    Unlike ``migrate:fresh`` it goes through each migration's ``downgrade``, so it also proves
    that the migrations can be undone.
    """
    config = load_config()
    confirm_in_production(config, force=force)
    output = Output()
    migrator = migrator_for(config, path)
    output.info("Rolling back migrations.")
    _report(output, migrator, migrator.rollback(step or _ALL), "Nothing to rollback.")
    output.line()
    output.info("Running migrations.")
    _report(output, migrator, migrator.upgrade(), "Nothing to migrate.")
    if seed:
        _seed(config, output)


def db_wipe(force: ForceOption = False) -> None:
    """Drop every table (the migration history too), without running any migration."""
    config = load_config()
    confirm_in_production(config, force=force)
    output = Output()
    dropped = migrator_for(config).wipe()
    output.info(f"Dropped all tables successfully ({len(dropped)})." if dropped else "No tables.")
