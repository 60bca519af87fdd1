"""What commands share: fresh config, the production guard, and a booted application.

Commands read a fresh :class:`ConfigRepository` on every run instead of the process-wide default,
so the environment a command sees is the one it was started with (and tests that run several
commands in one process with different environments do not see each other's settings).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import typer

from foundry.activity.causer import find_console_causer, reset_causer, set_causer
from foundry.auth.user_provider import UserProvider
from foundry.config.activitylog import ActivityLogSettings
from foundry.config.app import AppSettings
from foundry.console.context import CONSOLE_CAUSER, CommandError
from foundry.kernel.application import Application
from foundry.kernel.config import ConfigRepository
from foundry.kernel.container import Container, set_root_container

__all__ = ["booted_application", "confirm_in_production", "load_config", "run_in_application"]

T = TypeVar("T")


def load_config() -> ConfigRepository:
    """Settings read now, from the environment and the dotenv file."""
    return ConfigRepository()


def confirm_in_production(config: ConfigRepository, *, force: bool) -> None:
    """Laravel's guard for destructive commands: in production, ``--force`` or a typed "yes".

    Without a terminal to ask on (CI, deploy scripts), the command is refused.
    """
    if force or config.settings(AppSettings).env != "production":
        return
    if sys.stdin.isatty() and typer.confirm(
        "The application is in production. Do you really wish to run this command?",
        default=False,
    ):
        return
    raise CommandError("The application is in production: command cancelled (use --force).")


@asynccontextmanager
async def booted_application(
    config: ConfigRepository | None = None,
) -> AsyncIterator[tuple[Application, Container]]:
    """A bootstrapped application and an open container scope, both closed on the way out.

    The scope plays the part of a request: scoped services (the database session) live in it.
    The user of ``--as`` (or ``ACTIVITY_CAUSER``) is the activity log's causer inside it.
    """
    application = Application(config=config if config is not None else load_config())
    try:
        application.bootstrap()
        async with application.container.scope() as scope:
            token = set_causer(await _console_causer(scope))
            try:
                yield application, scope
            finally:
                reset_causer(token)
    finally:
        await application.shutdown()
        set_root_container(None)


async def _console_causer(scope: Container) -> object | None:
    named = CONSOLE_CAUSER.get() or scope.make(ActivityLogSettings).console_causer
    if not named or not scope.bound(UserProvider):
        return None
    from sqlalchemy.ext.asyncio import AsyncSession

    try:
        return await find_console_causer(scope.make(AsyncSession), scope.make(UserProvider), named)
    except LookupError as exc:
        raise CommandError(str(exc)) from None


def run_in_application(
    work: Callable[[Application, Container], Awaitable[T]],
    config: ConfigRepository | None = None,
) -> T:
    """Run ``work(application, scope)`` on a fresh event loop inside :func:`booted_application`."""

    async def runner() -> T:
        async with booted_application(config) as (application, scope):
            return await work(application, scope)

    return asyncio.run(runner())
