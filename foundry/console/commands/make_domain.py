"""``make:event``, ``make:listener``, ``make:mail``, ``make:notification``, ``make:rule``,
``make:exception``, ``make:enum``, ``make:scope`` and ``make:cast``.

Like the other generators, each refuses to overwrite without ``--force``, prints the paths it
created, and lists the new class in its package's ``__all__`` when the package keeps one.
"""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.generators import domain_kinds
from foundry.console.generators.names import Name
from foundry.console.generators.options import (
    BasePathOption,
    ForceOption,
    NameArgument,
    generator_for,
)

__all__ = [
    "make_cast",
    "make_enum",
    "make_event",
    "make_exception",
    "make_listener",
    "make_mail",
    "make_notification",
    "make_rule",
    "make_scope",
]


def make_event(name: NameArgument, force: ForceOption = False, path: BasePathOption = None) -> None:
    """Create an event class (a frozen dataclass) in app/events/."""
    generator = generator_for(path, force)
    domain_kinds.plan_event(generator, Name.parse(name, what="event name"))
    generator.write()


def make_listener(
    name: NameArgument,
    event: Annotated[
        str | None, typer.Option("--event", "-e", help="The event it handles: OrderShipped")
    ] = None,
    queued: Annotated[
        bool, typer.Option("--queued", help="Run it on a queue worker (ShouldQueue)")
    ] = False,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create an event listener in app/listeners/, typed for --event when given."""
    parsed = Name.parse(name, what="listener name")
    target = None if event is None else Name.parse(event, what="event name")
    generator = generator_for(path, force)
    domain_kinds.plan_listener(generator, parsed, target, queued=queued)
    generator.write()
    generator.output.line(
        "  Map it in app/providers/event_service_provider.py: "
        f"listen = {{{target.studly if target else 'YourEvent'}: [{parsed.studly}]}}"
    )


def make_mail(name: NameArgument, force: ForceOption = False, path: BasePathOption = None) -> None:
    """Create a mailable in app/mail/ with its HTML and text views in resources/views/emails/."""
    generator = generator_for(path, force)
    domain_kinds.plan_mail(generator, Name.parse(name, what="mailable name"))
    generator.write()


def make_notification(
    name: NameArgument,
    queued: Annotated[
        bool, typer.Option("--queued", help="Send it from a queue worker (ShouldQueue)")
    ] = False,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create a notification class in app/notifications/."""
    generator = generator_for(path, force)
    domain_kinds.plan_notification(
        generator, Name.parse(name, what="notification name"), queued=queued
    )
    generator.write()


def make_rule(name: NameArgument, force: ForceOption = False, path: BasePathOption = None) -> None:
    """Create a validation rule in app/rules/."""
    generator = generator_for(path, force)
    domain_kinds.plan_rule(generator, Name.parse(name, what="rule name"))
    generator.write()


def make_exception(
    name: NameArgument,
    status: Annotated[
        int, typer.Option("--status", help="The HTTP status it answers with (400-599)")
    ] = 400,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create an exception in app/exceptions/, rendered as JSON with its status."""
    generator = generator_for(path, force)
    domain_kinds.plan_exception(generator, Name.parse(name, what="exception name"), status)
    generator.write()


def make_enum(
    name: NameArgument,
    integer: Annotated[bool, typer.Option("--int", help="An IntEnum instead of a StrEnum")] = False,
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create an enum in app/enums/ (StrEnum, or IntEnum with --int)."""
    generator = generator_for(path, force)
    domain_kinds.plan_enum(generator, Name.parse(name, what="enum name"), integer=integer)
    generator.write()


def make_scope(name: NameArgument, force: ForceOption = False, path: BasePathOption = None) -> None:
    """Create a global query scope in app/models/scopes/."""
    generator = generator_for(path, force)
    domain_kinds.plan_scope(generator, Name.parse(name, what="scope name"))
    generator.write()


def make_cast(name: NameArgument, force: ForceOption = False, path: BasePathOption = None) -> None:
    """Create a custom cast (a SQLAlchemy TypeDecorator) in app/casts/."""
    generator = generator_for(path, force)
    domain_kinds.plan_cast(generator, Name.parse(name, what="cast name"))
    generator.write()
