"""``cache:clear``: flush the application cache."""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["cache_clear"]


def cache_clear(
    store: Annotated[
        str | None, typer.Argument(help="The store to flush (default: CACHE_STORE)")
    ] = None,
) -> None:
    """Flush the application cache (on Redis, only the keys under this app's prefix)."""
    from foundry.cache.errors import UnknownStoreError
    from foundry.cache.manager import CacheManager

    async def work(application: Application, scope: Container) -> str:
        manager = application.container.make(CacheManager)
        name = store or manager.default_store
        try:
            repository = manager.store(name)
        except UnknownStoreError as exc:
            raise CommandError(str(exc)) from None
        await repository.flush()
        return name

    name = run_in_application(work, load_config())
    Output().info(f"Application cache [{name}] cleared successfully.")
