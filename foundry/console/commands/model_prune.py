"""``model:prune``: delete the rows prunable models say may go (Laravel's Prunable)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["model_prune"]


def model_prune(
    models: Annotated[
        list[str] | None,
        typer.Option(
            "--model", help="Only this model (class name or dotted path); may be repeated"
        ),
    ] = None,
    pretend: Annotated[
        bool, typer.Option("--pretend", help="Only count the rows that would be pruned")
    ] = False,
) -> None:
    """Prune the models that use Prunable or MassPrunable (all of the application's by default)."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from foundry.console.commands.model_lookup import application_models, resolve_model
    from foundry.database.prunable import count_prunable, is_prunable, prune_model

    config = load_config()
    if models:
        chosen = [resolve_model(config, name) for name in models]
        for model in chosen:
            if not is_prunable(model):
                raise CommandError(
                    f"[{model.__qualname__}] is not prunable: it needs Prunable or MassPrunable "
                    "and a prunable() method."
                )
    else:
        chosen = [model for model in application_models(config) if is_prunable(model)]
    output = Output()
    if not chosen:
        output.info("No prunable models found.")
        return

    async def work(application: Application, scope: Container) -> list[tuple[type[Any], int]]:
        session = scope.make(AsyncSession)
        done = []
        for model in chosen:
            if pretend:
                done.append((model, await count_prunable(session, model)))
            else:
                done.append((model, await prune_model(session, model)))
        return done

    for model, count in run_in_application(work, config):
        name = f"{model.__module__}.{model.__qualname__}"
        if pretend:
            output.info(f"{count} [{name}] records will be pruned.")
        else:
            output.task(name, f"{count} records pruned")
