"""Console routes: the application's artisan commands that ``app/console/commands/`` does not hold.

Each is named by a dotted path, so ``artisan list`` imports nothing of it::

    COMMANDS = (
        CommandSpec("users:prune", "Delete unverified users", "app.services.users:prune"),
    )

A command with the name of a built-in one replaces it.
"""

from __future__ import annotations

from foundry.console.registry import CommandSpec

__all__ = ["COMMANDS"]

COMMANDS: tuple[CommandSpec, ...] = ()
