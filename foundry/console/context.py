"""What a running command can ask its click context for: the registry and the verbosity."""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

from foundry.console.registry import CommandRegistry

if TYPE_CHECKING:
    # typer.Context and the contexts typer's groups receive both derive from this one.
    from typer import _click

__all__ = [
    "CONSOLE_CAUSER",
    "VERBOSITY_KEY",
    "CommandError",
    "registry_of",
    "verbosity_of",
]

#: ``ctx.meta`` key holding how many ``-v`` flags were given (0 to 3).
VERBOSITY_KEY = "artisan.verbosity"


#: The user ``--as`` named for the running command (an id or an email), if any; the
#: application it boots makes that user the activity log's causer.
CONSOLE_CAUSER: ContextVar[str | None] = ContextVar("foundry_console_causer", default=None)


class CommandError(Exception):
    """An expected failure: artisan prints the message on one line and exits with 1."""


def registry_of(ctx: _click.Context) -> CommandRegistry:
    """The registry artisan was started with (the root context's ``obj``)."""
    registry = ctx.find_object(CommandRegistry)
    if registry is None:
        raise RuntimeError("this command must run under artisan")
    return registry


def verbosity_of(ctx: _click.Context) -> int:
    """0 unless ``-v``/``-vv``/``-vvv``/``--verbose`` was given."""
    value = ctx.meta.get(VERBOSITY_KEY, 0)
    return value if isinstance(value, int) else 0
