"""``about``: the application's environment and drivers, read from config, connecting to nothing."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

import typer

from foundry.config.app import AppSettings
from foundry.config.database import DatabaseSettings
from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config
from foundry.kernel.config import ConfigRepository

__all__ = ["about", "gather"]

Section = dict[str, str]


def about(
    only: Annotated[
        str | None, typer.Option("--only", help="Show only this section (environment, drivers)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the information as JSON")] = False,
) -> None:
    """Display basic information about your application: versions, environment and drivers."""
    sections = gather(load_config())
    if only is not None:
        wanted = only.strip().lower()
        if wanted not in sections:
            raise CommandError(f'No section "{only}"; choose from: {", ".join(sections)}.')
        sections = {wanted: sections[wanted]}
    output = Output()
    if as_json:
        output.json({name: _snake_keys(rows) for name, rows in sections.items()})
        return
    for index, (name, rows) in enumerate(sections.items()):
        if index:
            output.line()
        output.two_column(name.title(), "")
        for label, value in rows.items():
            output.two_column(label, value)


def _snake_keys(rows: Section) -> Section:
    # "Debug Mode" -> "debug_mode", as Laravel's `about --json` names them.
    return {label.lower().replace(" ", "_"): value for label, value in rows.items()}


def gather(config: ConfigRepository) -> dict[str, Section]:
    """The ``environment`` and ``drivers`` sections, as label -> value."""
    app = config.settings(AppSettings)
    database = config.settings(DatabaseSettings)
    environment: Section = {
        "Application Name": app.name,
        "Foundry Version": _version("foundry"),
        "Python Version": platform.python_version(),
        "FastAPI Version": _version("fastapi"),
        "SQLAlchemy Version": _version("sqlalchemy"),
        "Environment": app.env,
        "Debug Mode": "ENABLED" if app.debug else "OFF",
        "URL": app.url,
        "Timezone": app.timezone,
        "Application Key": "SET" if app.key else "MISSING (run `artisan key:generate`)",
    }
    drivers: Section = {"Database": _database_driver(database)}
    optional = (
        ("Cache", "cache.store"),
        ("Queue", "queue.connection"),
        ("Mail", "mail.mailer"),
        ("Rate Limiter", "rate_limiting.store"),
        ("Log Level", "logging.level"),
        ("Log Format", "logging.format"),
    )
    for label, key in optional:
        value = _config_value(config, key)
        if value is not None:
            drivers[label] = value
    return {"environment": environment, "drivers": drivers}


def _database_driver(settings: DatabaseSettings) -> str:
    scheme = settings.url.partition("://")[0]
    _, _, driver = scheme.partition("+")
    return f"{settings.default} ({driver})" if driver else settings.default


def _config_value(config: ConfigRepository, key: str) -> str | None:
    # Batteries that are not installed have no config module; those rows are left out.
    value: Any = config.get(key, None)
    return None if value is None else str(value)


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"
