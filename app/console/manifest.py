"""The commands artisan knows: the built-in ones and the application's own.

The application lists its commands in :data:`APP_COMMANDS` (Laravel's console kernel), naming
each module as a string so that ``artisan list`` does not import it. An app command with the
name of a built-in one replaces it.
"""

from __future__ import annotations

from app.console.registry import CommandRegistry, CommandSpec

__all__ = ["APP_COMMANDS", "BUILTIN_COMMANDS", "default_registry"]

_COMMANDS = "app.console.commands"

BUILTIN_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "about", "Display basic information about your application", f"{_COMMANDS}.about:about"
    ),
    CommandSpec("help", "Display help for a command", f"{_COMMANDS}.listing:help_command"),
    CommandSpec("list", "List commands", f"{_COMMANDS}.listing:list_app"),
    CommandSpec("serve", "Serve the application with uvicorn", f"{_COMMANDS}.serve:serve"),
    CommandSpec("migrate", "Run the database migrations", f"{_COMMANDS}.migrate:migrate"),
    CommandSpec(
        "migrate:fresh",
        "Drop all tables and re-run all migrations",
        f"{_COMMANDS}.migrate:migrate_fresh",
    ),
    CommandSpec(
        "migrate:rollback",
        "Rollback the last database migrations",
        f"{_COMMANDS}.migrate:migrate_rollback",
    ),
    CommandSpec(
        "migrate:status",
        "Show the status of each migration",
        f"{_COMMANDS}.migrate:migrate_status",
    ),
    CommandSpec(
        "make:migration",
        "Create a new migration file",
        f"{_COMMANDS}.make_migration:make_migration",
    ),
    CommandSpec("db:seed", "Seed the database with records", f"{_COMMANDS}.seed:db_seed"),
    CommandSpec("route:list", "List all registered routes", f"{_COMMANDS}.routes:route_list"),
    CommandSpec("key:generate", "Set the application key", f"{_COMMANDS}.key:key_generate"),
)


#: The application's commands, e.g.
#: ``CommandSpec("users:prune", "Delete unverified users", "app.console.commands.users:prune")``.
APP_COMMANDS: tuple[CommandSpec, ...] = ()


def default_registry() -> CommandRegistry:
    """A fresh registry holding the built-in commands, then the application's."""
    return CommandRegistry((*BUILTIN_COMMANDS, *APP_COMMANDS))
