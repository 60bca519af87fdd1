"""A command an app might add, registered by the console tests."""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.context import CommandError


def sample(
    name: Annotated[str, typer.Argument(help="Who to greet")],
    fail: Annotated[bool, typer.Option("--fail", help="Fail with a CommandError")] = False,
    crash: Annotated[bool, typer.Option("--crash", help="Fail with an unexpected error")] = False,
) -> None:
    """Greet NAME (a sample command)."""
    if fail:
        raise CommandError("the sample failed on purpose")
    if crash:
        raise KeyError("deep internal detail")
    typer.echo(f"Hello {name}")
