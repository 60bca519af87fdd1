"""``db:seed``: run a seeder (``DatabaseSeeder`` by default) with a progress bar."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from foundry.console.output import Output
from foundry.console.runtime import confirm_in_production, load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.config import ConfigRepository
from foundry.kernel.container import Container

__all__ = ["SEEDERS_PACKAGE", "db_seed", "default_seeder", "seed_database", "seeder_path"]

#: Where seeders named without a module (``--class UserSeeder``) are looked for.
SEEDERS_PACKAGE = "database.seeders"


def default_seeder(config: ConfigRepository) -> str:
    """The seeder run when none is named: ``DB_SEEDER`` (``DatabaseSeeder`` by default)."""
    from foundry.config.database import DatabaseSettings

    return config.settings(DatabaseSettings).seeder


def db_seed(
    class_name: Annotated[
        str | None,
        typer.Option(
            "--class",
            help="The seeder to run: a class in database.seeders, or a dotted path "
            "[default: DB_SEEDER, DatabaseSeeder]",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Run in production without asking")
    ] = False,
) -> None:
    """Seed the database with records."""
    config = load_config()
    confirm_in_production(config, force=force)
    seed_database(config, class_name or default_seeder(config), Output())


def seeder_path(name: str) -> str:
    """The dotted path of a seeder class.

    ``UserSeeder`` -> ``database.seeders.user_seeder.UserSeeder`` (one module per seeder, named
    after its class); a dotted path is taken as it is.
    """
    if "." in name:
        return name
    module = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return f"{SEEDERS_PACKAGE}.{module}.{name}"


def seed_database(config: ConfigRepository, class_name: str, output: Output) -> list[str]:
    """Run the seeder in a booted application, one progress step per seeder; returns their names."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from foundry.database.seeding import run_seeder

    path = seeder_path(class_name)
    output.info("Seeding database.")

    async def work(application: Application, scope: Container) -> list[str]:
        session = scope.make(AsyncSession)
        with output.progress("Seeding", total=None) as progress:
            ran: list[str] = await run_seeder(path, session=session, reporter=progress.advance)
        return ran

    ran = run_in_application(work, config)
    ran_count = f"{len(ran)} seeder" + ("" if len(ran) == 1 else "s")
    output.info(f"Database seeding completed successfully ({ran_count} ran).")
    return ran
