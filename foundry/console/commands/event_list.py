"""``event:list``: each event the providers declare and the listeners it runs, in order."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["event_list"]


def _name(thing: Any) -> str:
    module = getattr(thing, "__module__", "")
    qualname = getattr(thing, "__qualname__", repr(thing))
    return f"{module}.{qualname}" if module else qualname


def event_list(
    event_filter: Annotated[
        str | None, typer.Option("--event", help="Only events whose name contains this")
    ] = None,
) -> None:
    """List the application's events and their listeners (queued ones marked).

    The events are those the ``EventServiceProvider`` classes in ``config/app.py`` declare; the
    listeners are what the booted dispatcher would run for each, so listeners registered in a
    provider's ``boot`` show up too.
    """
    from foundry.events.dispatcher import EventDispatcher
    from foundry.events.service_provider import EventServiceProvider
    from foundry.jobs.contracts import ShouldQueue

    async def work(application: Application, scope: Container) -> list[tuple[str, list[str]]]:
        events: dict[type[Any], None] = {}
        for provider in application.providers:
            if isinstance(provider, EventServiceProvider):
                events.update(dict.fromkeys(provider.listen))
        dispatcher = application.container.make(EventDispatcher)
        found = []
        for event in events:
            listeners = [
                _name(listener)
                + (
                    " (ShouldQueue)"
                    if isinstance(listener, type) and issubclass(listener, ShouldQueue)
                    else ""
                )
                for listener in dispatcher.get_listeners(event)
            ]
            found.append((_name(event), listeners))
        return sorted(found)

    rows = [
        (event, listeners)
        for event, listeners in run_in_application(work, load_config())
        if event_filter is None or event_filter.lower() in event.lower()
    ]
    output = Output()
    if not rows:
        output.info("Your application doesn't have any events matching the given criteria.")
        return
    for event, listeners in rows:
        output.line(f"  {event}", style="bold")
        for listener in listeners:
            output.line(f"    ⇂ {listener}")
        output.line()
