"""The artisan kernel: a typer group whose commands come from the registry, loaded on demand.

Typer normally builds every command up front, which would import every command module (and so
FastAPI, SQLAlchemy, alembic, ...) just to print ``artisan list``. :class:`ArtisanGroup` instead
answers ``list_commands`` from the registry and builds a command only when it is looked up.
"""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from foundry.console.context import (
    CONSOLE_CAUSER,
    VERBOSITY_KEY,
    CommandError,
    registry_of,
    verbosity_of,
)
from foundry.console.manifest import default_registry
from foundry.console.output import Output
from foundry.console.registry import CommandRegistry, CommandSpec, UnknownCommandError

if TYPE_CHECKING:
    # Typer vendors click; its Context/Command are the types TyperGroup's methods are declared with.
    from typer import _click

__all__ = ["ArtisanGroup", "build_artisan", "split_causer", "split_verbosity"]

_VERBOSITY_FLAGS = {"-v": 1, "-vv": 2, "-vvv": 3, "--verbose": 1}
_HELP_FLAGS = ("-h", "--help")
_CAUSER_KEY = "artisan.as"


def split_verbosity(args: Sequence[str]) -> tuple[list[str], int]:
    """Take ``-v``/``-vv``/``-vvv``/``--verbose`` out of ``args`` wherever they stand.

    As in Laravel, every command accepts them, before or after its name; anything after ``--``
    is left alone.
    """
    kept: list[str] = []
    level = 0
    for index, arg in enumerate(args):
        if arg == "--":
            kept.extend(args[index:])
            break
        if arg in _VERBOSITY_FLAGS:
            level = max(level, _VERBOSITY_FLAGS[arg])
        else:
            kept.append(arg)
    return kept, level


def split_causer(args: Sequence[str]) -> tuple[list[str], str | None]:
    """Take ``--as USER`` (or ``--as=USER``) out of ``args`` wherever it stands.

    Every command accepts it: the user (an id or an email) the command acts as, the causer of
    what it writes to the activity log. Anything after ``--`` is left alone.

    Raises:
        UsageError: ``--as`` with no user after it.
    """
    kept: list[str] = []
    causer: str | None = None
    items = iter(enumerate(args))
    for index, arg in items:
        if arg == "--":
            kept.extend(args[index:])
            break
        if arg == "--as":
            following = next(items, None)
            if following is None or not following[1].strip():
                raise typer.BadParameter("--as needs a user id or email", param_hint="--as")
            causer = following[1]
        elif arg.startswith("--as="):
            causer = arg.removeprefix("--as=")
            if not causer.strip():
                raise typer.BadParameter("--as needs a user id or email", param_hint="--as")
        else:
            kept.append(arg)
    return kept, causer


class ArtisanGroup(TyperGroup):
    """The root command. Its context's ``obj`` is the :class:`CommandRegistry`."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: _click.Context | None = None,
        **extra: Any,
    ) -> _click.Context:
        args, level = split_verbosity(args)
        args, causer = split_causer(args)
        # Bare `artisan` and `artisan --help` list the commands, as in Laravel.
        if not args or args[0] in _HELP_FLAGS:
            args = ["list"]
        ctx = super().make_context(info_name, args, parent=parent, **extra)
        ctx.meta[VERBOSITY_KEY] = level
        ctx.meta[_CAUSER_KEY] = causer
        return ctx

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return registry_of(ctx).names()

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        built = self.commands.get(cmd_name)
        if built is not None:
            return built
        spec = registry_of(ctx).find(cmd_name)
        if spec is None:
            return None
        built = self.commands[cmd_name] = _build_command(spec, self)
        return built

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        name = args[0]
        if not name.startswith("-") and self.get_command(ctx, name) is None:
            raise UnknownCommandError(name, registry_of(ctx).suggest(name))
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: _click.Context) -> Any:
        # Read by booted_application (foundry.console.runtime) in the command's event loop,
        # which copies this context when it starts.
        token = CONSOLE_CAUSER.set(ctx.meta.get(_CAUSER_KEY))
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException, BrokenPipeError):
            # Typer reports these itself (usage errors, `| head` closing the pipe, ...).
            raise
        except Exception as exc:
            _report(exc, verbosity=verbosity_of(ctx))
            raise typer.Exit(1) from exc
        finally:
            CONSOLE_CAUSER.reset(token)


def _build_command(spec: CommandSpec, group: TyperGroup) -> _click.Command:
    target = spec.load()
    if isinstance(target, typer.Typer):
        # The module built its own one-command Typer (for context settings, say).
        return typer.main.get_command(target)
    # A one-command Typer turns the annotated callback into a click command, options and all.
    single = typer.Typer(add_completion=False, rich_markup_mode=group.rich_markup_mode)
    single.command(name=spec.name, help=inspect.getdoc(target) or spec.help, short_help=spec.help)(
        target
    )
    return typer.main.get_command(single)


def _report(exc: Exception, *, verbosity: int) -> None:
    output = Output()
    if verbosity > 0:
        if output.terminal:
            output.console(err=True).print_exception()
        else:
            traceback.print_exception(exc, file=output.stderr)
    output.error(_one_line(exc))


def _one_line(exc: Exception) -> str:
    if isinstance(exc, (CommandError, UnknownCommandError)):
        text = str(exc)
    else:
        detail = str(exc).strip()
        text = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    first = text.splitlines()[0] if text else type(exc).__name__
    return first + ("" if first == text else " (run with -v for details)")


def _root() -> None:
    """Foundry's command line: `artisan list` shows every command."""


def build_artisan(registry: CommandRegistry | None = None) -> typer.Typer:
    """The artisan application over ``registry`` (the built-in commands when ``None``)."""
    return typer.Typer(
        name="artisan",
        cls=ArtisanGroup,
        callback=_root,
        add_completion=False,
        # `artisan -h` is rewritten to `artisan list`; a help option would only cost start-up time.
        add_help_option=False,
        pretty_exceptions_enable=False,
        context_settings={
            "obj": registry if registry is not None else default_registry(),
            "help_option_names": list(_HELP_FLAGS),
        },
    )
