"""``down`` and ``up``: Laravel's maintenance mode, a file every server process checks."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from foundry.config.app import AppSettings
from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config

__all__ = ["down", "up"]


def down(
    retry: Annotated[
        int | None,
        typer.Option("--retry", min=0, help="Seconds to send in the Retry-After header"),
    ] = None,
    secret: Annotated[
        str | None,
        typer.Option(
            "--secret", help="Visiting /<secret> sets a cookie that lets that browser through"
        ),
    ] = None,
    message: Annotated[
        str | None, typer.Option("--message", help="The 503's message instead of the default")
    ] = None,
) -> None:
    """Put the application into maintenance mode: every HTTP request gets a 503."""
    from foundry.http.maintenance import MaintenanceState, hash_secret, write_state

    secret = secret.strip("/") if secret is not None else None
    if secret is not None and (not secret or "/" in secret):
        raise CommandError("The secret must be one non-empty path segment (no '/').")
    path = load_config().settings(AppSettings).maintenance_file
    write_state(
        path,
        MaintenanceState(
            time=time.time(),
            retry=retry,
            secret_hash=hash_secret(secret) if secret else None,
            message=message,
        ),
    )
    output = Output()
    output.info("Application is now in maintenance mode.")
    if secret:
        output.line(f"  Bypass: visit /{secret} once; that browser is let through for 12 hours.")


def up() -> None:
    """Bring the application out of maintenance mode."""
    path = load_config().settings(AppSettings).maintenance_file
    output = Output()
    if not path.exists():
        output.info("Application is already up.")
        return
    path.unlink()
    output.info("Application is now live.")
