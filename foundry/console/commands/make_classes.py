"""``make:controller``, ``make:service``, ``make:request``, ``make:resource``, ``make:policy``,
``make:observer``, ``make:factory``, ``make:seeder``, ``make:middleware`` and ``make:provider``.

Each writes one module from its stub in ``foundry/console/stubs/`` (``make:controller --resource``
also writes the service, form requests and resource it uses when they are missing), refuses to
overwrite without ``--force``, and prints the paths it created.
"""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.generators import kinds
from foundry.console.generators.names import Name
from foundry.console.generators.options import (
    BasePathOption,
    ForceOption,
    ModelOption,
    NameArgument,
    generator_for,
    model_name,
)

__all__ = [
    "make_controller",
    "make_factory",
    "make_job",
    "make_middleware",
    "make_provider",
    "make_observer",
    "make_policy",
    "make_request",
    "make_resource",
    "make_seeder",
    "make_service",
]


def make_controller(
    name: NameArgument,
    resource: Annotated[
        bool,
        typer.Option("--resource", "--api", "-r", help="index/store/show/update/destroy endpoints"),
    ] = False,
    model: ModelOption = None,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create a controller: an APIRouter with thin async endpoints.

    With --api (or --resource), the five REST actions over a service for the model (--model,
    else the name without "Controller"), routed by api_resource: each authenticates and asks
    the model's policy. The service, form requests, API resource and policy are created if
    missing.
    """
    parsed = Name.parse(name, what="controller name")
    generator = generator_for(path, force)
    target = model_name(model)
    if resource or target is not None:
        kinds.plan_resource_controller(
            generator, parsed, target or parsed.without_suffix("Controller")
        )
    else:
        kinds.plan_controller(generator, parsed)
    generator.write()


def make_service(
    name: NameArgument,
    model: ModelOption = None,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create a service class; with --model, find/create/update/delete for that model.

    The class name ends in "Service" (Tag -> TagService), as make:model --all names it.
    """
    generator = generator_for(path, force)
    parsed = Name.parse(name, what="service name").with_suffix("Service")
    kinds.plan_service(generator, parsed, model_name(model))
    generator.write()


def make_request(
    name: NameArgument, force: ForceOption = False, path: BasePathOption = None
) -> None:
    """Create a form request: strict input fields, authorize() and rules()."""
    generator = generator_for(path, force)
    kinds.plan_request(generator, Name.parse(name, what="request name"))
    generator.write()


def make_resource(
    name: NameArgument,
    collection: Annotated[
        bool, typer.Option("--collection", help="A ResourceCollection instead of a JsonResource")
    ] = False,
    model: ModelOption = None,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create an API resource (JsonResource), or a ResourceCollection with --collection."""
    parsed = Name.parse(name, what="resource name")
    # Laravel's convention: a name ending in "Collection" makes a collection.
    collection = collection or parsed.studly.endswith("Collection")
    generator = generator_for(path, force)
    kinds.plan_resource(
        generator, parsed, None if collection else model_name(model), collection=collection
    )
    generator.write()


def make_policy(
    name: NameArgument,
    model: ModelOption = None,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create a policy: view_any/view/create/update/delete/restore/force_delete, denying."""
    generator = generator_for(path, force)
    kinds.plan_policy(generator, Name.parse(name, what="policy name"), model_name(model))
    generator.write()


def make_observer(
    name: NameArgument,
    model: ModelOption = None,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create a model observer (for --model, else the model its name starts with).

    It prints the lines that register it in app/providers/observer_service_provider.py.
    """
    parsed = Name.parse(name, what="observer name")
    generator = generator_for(path, force)
    target = model_name(model)
    guessed = parsed.without_suffix("Observer")
    if target is None and guessed != parsed and kinds.model_exists(generator, guessed):
        target = guessed
    kinds.plan_observer(generator, parsed, target)
    generator.write()
    provider = "app/providers/observer_service_provider.py"
    if target is None:
        generator.output.line(
            f"  Register it in {provider} under its model: "
            f"observers = {{YourModel: [{parsed.studly}]}} (or make it with --model)."
        )
        return
    generator.output.line(f"  Register it in {provider}:")
    for line in (
        f"from app.models.{target.snake} import {target.studly}",
        f"from app.observers.{parsed.snake} import {parsed.studly}",
        f"observers = {{{target.studly}: [{parsed.studly}]}}",
    ):
        generator.output.line(f"    {line}")


def make_factory(
    name: NameArgument,
    model: ModelOption = None,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create a model factory (--model, else the name without "Factory")."""
    parsed = Name.parse(name, what="factory name").with_suffix("Factory")
    target = model_name(model) or parsed.without_suffix("Factory")
    generator = generator_for(path, force)
    kinds.plan_factory(generator, parsed, target)
    generator.write()


def make_seeder(
    name: NameArgument, force: ForceOption = False, path: BasePathOption = None
) -> None:
    """Create a seeder; list it in DatabaseSeeder.seeders to run it with db:seed."""
    generator = generator_for(path, force)
    kinds.plan_seeder(generator, Name.parse(name, what="seeder name"))
    generator.write()


def make_middleware(
    name: NameArgument, force: ForceOption = False, path: BasePathOption = None
) -> None:
    """Create a pure ASGI middleware."""
    generator = generator_for(path, force)
    kinds.plan_middleware(generator, Name.parse(name, what="middleware name"))
    generator.write()


def make_provider(
    name: NameArgument, force: ForceOption = False, path: BasePathOption = None
) -> None:
    """Create a service provider in app/providers/ (list it in config/app.py)."""
    generator = generator_for(path, force)
    kinds.plan_provider(generator, Name.parse(name, what="provider name"))
    generator.write()


def make_job(
    name: NameArgument,
    batchable: Annotated[
        bool, typer.Option("--batchable", help="A BatchableJob that can run in a batch")
    ] = False,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create a queued job class in app/jobs/ (--batchable: one that can run in a batch)."""
    generator = generator_for(path, force)
    kinds.plan_job(generator, Name.parse(name, what="job name"), batchable=batchable)
    generator.write()
