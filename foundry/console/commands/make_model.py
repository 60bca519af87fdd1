"""``make:model``: a model, and on request its migration, factory, seeder, controller and more."""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.generators import kinds
from foundry.console.generators.names import Name
from foundry.console.generators.options import (
    BasePathOption,
    ForceOption,
    NameArgument,
    generator_for,
)
from foundry.console.generators.writer import Generator

__all__ = ["make_model"]


def _flag(long: str, short: str, text: str) -> object:
    return typer.Option(long, short, help=text)


def make_model(
    name: NameArgument,
    migration: Annotated[bool, _flag("--migration", "-m", "Create a migration")] = False,
    factory: Annotated[bool, _flag("--factory", "-f", "Create a factory")] = False,
    seeder: Annotated[bool, _flag("--seeder", "-s", "Create a seeder")] = False,
    controller: Annotated[
        bool, _flag("--controller", "-c", "Create a REST controller and its service")
    ] = False,
    resource: Annotated[bool, _flag("--resource", "-r", "Create an API resource")] = False,
    everything: Annotated[
        bool,
        typer.Option(
            "--all",
            "-a",
            help="All of the above, plus store/update form requests and a policy",
        ),
    ] = False,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create a model in app/models (re-exported from app/models/__init__.py).

    Nothing is written if any file it would write exists (unless --force). The migration,
    create_<table>_table, creates the model's table from its columns as written (the id and
    timestamps): run `artisan migrate`. Columns added to the model later go in with
    `make:migration --autogenerate "add ... to <table>"` on the migrated database.
    """
    model = Name.parse(name, what="model name")
    generator = generator_for(path, force)
    kinds.plan_model(generator, model)
    factory_name = model.with_suffix("Factory")
    if factory or everything:
        kinds.plan_factory(generator, factory_name, model)
    if seeder or everything:
        with_factory = factory_name if factory or everything else None
        kinds.plan_seeder(generator, model.with_suffix("Seeder"), with_factory)
    if controller or everything:
        kinds.plan_resource_controller(
            generator, model.with_suffix("Controller"), model, with_policy=not everything
        )
    elif resource:
        kinds.plan_resource(generator, model.with_suffix("Resource"), model)
    if everything:
        kinds.plan_policy(generator, model.with_suffix("Policy"), model)
    generator.write()
    if migration or everything:
        _make_migration(generator, model, elsewhere=path is not None)


def _make_migration(generator: Generator, model: Name, *, elsewhere: bool) -> None:
    # Imported here: alembic and the database settings only load when -m asks for them.
    from foundry.console.commands.migrate import migrator_for
    from foundry.console.runtime import load_config
    from foundry.database.table_migration import TableMigrationError, model_table_code

    # In this project, a revision of the application's (DB_MIGRATIONS_PATH) after the
    # framework's; under --path, one of that folder's own, as make:migration --path does.
    versions = generator.path("database/migrations/versions") if elsewhere else None
    try:
        code = model_table_code(
            generator.base_path,
            generator.path(kinds.MODELS / f"{model.snake}.py"),
            f"app.models.{model.snake}",
            model.studly,
        )
    except TableMigrationError as exc:
        # A customised model stub that does not import: the migration is left for the user.
        generator.output.warn(f"{exc}; the migration is empty, fill it in by hand.")
        code = None
    created = migrator_for(load_config(), versions).make(f"create_{model.table}_table", code=code)
    shown = (
        created.relative_to(generator.base_path)
        if created.is_relative_to(generator.base_path)
        else created
    )
    generator.output.info(f"Migration [{shown}] created successfully.")
