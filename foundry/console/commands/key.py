"""``key:generate``: write a fresh ``APP_KEY`` to the dotenv file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Annotated

import typer

from foundry.config.app import AppSettings
from foundry.config.base import BASE_PATH, env_file
from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config
from foundry.kernel.keys import generate_key, write_key_to_env

__all__ = ["key_generate", "resolve_env_path"]


def key_generate(
    show: Annotated[
        bool, typer.Option("--show", help="Display the key instead of writing it")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing key in production")
    ] = False,
    env_path: Annotated[
        Path | None,
        typer.Option(
            "--env-file",
            help="The dotenv file to write (default: APP_ENV_FILE, else .env in the project)",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Set the application key (APP_KEY) in the dotenv file.

    A missing dotenv file is created from `.env.example` next to it. In production an existing
    key is kept unless --force is given: replacing it makes everything encrypted with the old
    key (sessions, TOTP secrets, secure jobs) unreadable.
    """
    output = Output()
    key = generate_key()
    if show:
        output.line(key)
        return
    settings = load_config().settings(AppSettings)
    path = resolve_env_path(env_path)
    if settings.env == "production" and _has_key(path) and not force:
        raise CommandError(
            f"{path} already has an APP_KEY and the application is in production: "
            "replacing it makes encrypted data unreadable (use --force)."
        )
    if not path.exists():
        example = path.with_name(".env.example")
        if example.exists():
            shutil.copyfile(example, path)
    write_key_to_env(path, key)
    output.info(f"Application key set successfully in [{path}].")
    if os.environ.get("APP_KEY"):
        output.warn("APP_KEY is also set in the environment, which takes precedence over the file.")


def resolve_env_path(chosen: Path | None) -> Path:
    """``--env-file`` when given, else the dotenv file the settings read (``APP_ENV_FILE``)."""
    if chosen is not None:
        return chosen if chosen.is_absolute() else Path.cwd() / chosen
    path = env_file()
    if path is None:
        # APP_ENV_FILE="" means "read no dotenv file": there is nowhere to write the key.
        raise CommandError(
            "No dotenv file is in use (APP_ENV_FILE is empty): pass --env-file or use --show."
        )
    return path if path.is_absolute() else BASE_PATH / path


def _has_key(path: Path) -> bool:
    if not path.exists():
        return False
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        if name.strip() == "APP_KEY" and value.strip().strip("'\""):
            return True
    return False
