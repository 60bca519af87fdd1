"""``storage:link``: make ``public/storage`` point at the ``public`` disk's folder.

A web server serving ``public/`` then serves the public disk's files itself (Laravel's
``storage:link``); without the link, the framework's ``/storage`` route serves them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from foundry.config.filesystems import FilesystemSettings
from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config

__all__ = ["storage_link"]


def storage_link(
    relative: Annotated[
        bool, typer.Option("--relative", help="Create a relative link (survives moving the app)")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing link")] = False,
) -> None:
    """Create the symbolic link from public/storage to storage/app/public."""
    settings = load_config().settings(FilesystemSettings)
    link, target = settings.public_link, settings.public_root
    if link.is_symlink():
        if not force:
            raise CommandError(f"The [{link}] link already exists (use --force to replace it).")
        link.unlink()
    elif link.exists():
        raise CommandError(f"[{link}] exists and is not a link: move it away first.")
    target.mkdir(parents=True, exist_ok=True)
    link.parent.mkdir(parents=True, exist_ok=True)
    pointed: Path = Path(os.path.relpath(target, link.parent)) if relative else target
    link.symlink_to(pointed, target_is_directory=True)
    Output().info(f"The [{link}] link has been connected to [{target}].")
