"""``list`` and ``help``: what artisan can do, read from the registry alone.

Nothing here may import a command module or anything heavy: a test runs ``artisan list`` and
fails if FastAPI, SQLAlchemy, alembic, a database driver, Redis or a battery got imported.
"""

from __future__ import annotations

from typing import Annotated

import typer
from typer.core import TyperGroup

from foundry.console.context import CommandError, registry_of
from foundry.console.output import Output
from foundry.console.registry import CommandRegistry, CommandSpec

__all__ = ["help_command", "list_app", "list_commands", "render_list"]

_OPTIONS = (
    ("-h, --help", "Display help for the given command"),
    ("-v|vv|vvv, --verbose", "Show the full traceback when a command fails"),
)


#: ``list`` is its own Typer because it must never make typer import pydantic, which would more
#: than double the start-up time of ``artisan list``. Typer builds a pydantic TypeAdapter for
#: every parameter whose value is not already a bool: any non-flag parameter, and even its own
#: ``--help`` option (whose value is ``None`` when absent). So the namespace comes from
#: ``ctx.args`` and ``--help`` is a plain flag handled here.
list_app = typer.Typer(add_completion=False)


@list_app.command(
    name="list",
    short_help="List commands",
    options_metavar="[OPTIONS] [NAMESPACE]",
    context_settings={"allow_extra_args": True},
    add_help_option=False,
)
def list_commands(
    ctx: typer.Context,
    raw: Annotated[bool, typer.Option("--raw", help="One command per line, no grouping")] = False,
    show_help: Annotated[
        bool, typer.Option("--help", "-h", help="Show this message and exit.")
    ] = False,
) -> None:
    """List commands, grouped by namespace.

    `artisan list NAMESPACE` lists only that namespace (`artisan list migrate`).
    """
    if show_help:
        typer.echo(ctx.get_help(), color=ctx.color)
        return
    registry = registry_of(ctx)
    if len(ctx.args) > 1:
        raise CommandError("list takes at most one namespace")
    namespace = ctx.args[0] if ctx.args else None
    if namespace is not None and namespace not in registry.namespaces():
        message = f'There are no commands defined in the "{namespace}" namespace.'
        close = [name for name in registry.namespaces() if name.startswith(namespace[:2])]
        if close:
            message += " Did you mean " + ", ".join(close) + "?"
        raise CommandError(message)
    render_list(registry, Output(), namespace=namespace, raw=raw)


def render_list(
    registry: CommandRegistry,
    output: Output,
    *,
    namespace: str | None = None,
    raw: bool = False,
) -> None:
    """Write the listing: usage, global options, then the commands grouped by namespace."""
    groups = registry.grouped(namespace)
    specs = [spec for _, group in groups for spec in group]
    if raw:
        width = max((len(spec.name) for spec in specs), default=0)
        for spec in specs:
            output.line(f"{spec.name.ljust(width)}  {spec.help}")
        return
    width = max([len(spec.name) for spec in specs] + [len(flag) for flag, _ in _OPTIONS]) + 2
    output.line("Foundry artisan", style="bold green")
    output.line()
    output.heading("Usage:")
    output.line("  artisan <command> [options] [arguments]")
    output.line()
    output.heading("Options:")
    for flag, text in _OPTIONS:
        _entry(output, flag, text, width)
    output.line()
    output.heading(
        f'Available commands for the "{namespace}" namespace:'
        if namespace
        else "Available commands:"
    )
    for name, group in groups:
        if name:
            output.heading(f" {name}")
        for spec in group:
            _entry(output, spec.name, spec.help, width)


def _entry(output: Output, name: str, text: str, width: int) -> None:
    if output.terminal:
        from rich.text import Text

        output.console().print(Text.assemble("  ", (name.ljust(width), "green"), text))
    else:
        output.line(f"  {name.ljust(width)}{text}")


def help_command(
    ctx: typer.Context,
    command_name: Annotated[
        str, typer.Argument(metavar="COMMAND", help="The command to show the help of")
    ] = "help",
) -> None:
    """Display help for a command: its arguments and options.

    The same as `artisan COMMAND --help`.
    """
    spec: CommandSpec = registry_of(ctx).get(command_name)
    root = ctx.find_root()
    group = root.command
    if not isinstance(group, TyperGroup):
        raise RuntimeError("help must run under artisan")
    command = group.get_command(root, spec.name)
    if command is None:
        raise RuntimeError(f"{spec.name} could not be loaded")
    sub_ctx = command.context_class(command, info_name=spec.name, parent=root)
    typer.echo(sub_ctx.get_help(), color=sub_ctx.color)
