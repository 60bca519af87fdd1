"""``make:migration``: a new alembic revision in ``database/migrations/versions``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from foundry.console.commands.migrate import PathOption, migrator_for
from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config

__all__ = ["make_migration"]

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_ -]*$")


def make_migration(
    name: Annotated[str, typer.Argument(help="What the migration does: create_posts_table")],
    autogenerate: Annotated[
        bool,
        typer.Option(
            "--autogenerate",
            help="Fill the migration with the differences between the models and the database",
        ),
    ] = False,
    path: PathOption = None,
) -> None:
    """Create a new migration file.

    With --autogenerate, alembic compares the models' tables with the database (which must be
    migrated up to date) and writes the operations that bring one to the other; review them.
    """
    if not _NAME.match(name):
        raise CommandError(
            f'Invalid migration name "{name}": use letters, digits, spaces, "-" and "_" '
            "and start with a letter."
        )
    created = migrator_for(load_config(), path).make(name, autogenerate=autogenerate)
    Output().info(f"Migration [{_display(created)}] created successfully.")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
