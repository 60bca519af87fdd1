"""``make:command``: an application command in ``app/console/commands/``.

Artisan discovers the modules of that folder without importing them (it reads their ``NAME``
and ``HELP`` constants, see :func:`foundry.console.manifest.discover_commands`), so a new command
shows in ``artisan list`` as soon as its file exists, and listing stays import-free.
"""

from __future__ import annotations

import re
from typing import Annotated

import typer

from foundry.console.context import CommandError
from foundry.console.generators import kinds
from foundry.console.generators.names import Name
from foundry.console.generators.options import (
    BasePathOption,
    ForceOption,
    NameArgument,
    generator_for,
)

__all__ = ["make_command"]

_COMMAND = re.compile(r"^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)*$")


def make_command(
    name: NameArgument,
    command: Annotated[
        str | None,
        typer.Option("--command", help="The command's name (default: app:<name-in-kebab-case>)"),
    ] = None,
    description: Annotated[
        str, typer.Option("--description", help="The one-line help shown by artisan list")
    ] = "Command description",
    force: ForceOption = False,
    path: BasePathOption = None,
) -> None:
    """Create an artisan command; artisan lists it as soon as the file exists."""
    parsed = Name.parse(name, what="command class name")
    command_name = command if command is not None else f"app:{parsed.kebab}"
    if not _COMMAND.match(command_name):
        raise CommandError(
            f'Invalid command name "{command_name}": use lower-case words separated by '
            '":" or "-", such as app:send-emails.'
        )
    if not description.strip() or any(char in description for char in '"\\\n'):
        raise CommandError("The description must be one line without quotes or backslashes.")
    generator = generator_for(path, force)
    kinds.plan_command(generator, parsed, command_name, description.strip())
    generator.write()
    generator.output.line(f"  Run it with: artisan {command_name}")
