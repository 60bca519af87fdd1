"""The commands artisan knows: the built-in ones and the application's own.

The application lists its commands in ``routes/console.py`` (``COMMANDS``, Laravel's console
routes), naming each module as a string so that ``artisan list`` does not import it. An app
command with the name of a built-in one replaces it.

Commands written by ``artisan make:command`` live in ``app/console/commands/`` and need no
listing: :func:`discover_commands` reads each module's ``NAME`` and ``HELP`` string constants
with :mod:`ast` (parsing, not importing) and runs its ``handle`` function when called.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from foundry.config.paths import project_root
from foundry.console.registry import CommandRegistry, CommandSpec

__all__ = [
    "APP_COMMANDS_PACKAGE",
    "APP_COMMANDS_PATH",
    "BUILTIN_COMMANDS",
    "default_registry",
    "discover_commands",
    "listed_commands",
]

_COMMANDS = "foundry.console.commands"

BUILTIN_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "about", "Display basic information about your application", f"{_COMMANDS}.about:about"
    ),
    CommandSpec("help", "Display help for a command", f"{_COMMANDS}.listing:help_command"),
    CommandSpec("list", "List commands", f"{_COMMANDS}.listing:list_app"),
    CommandSpec("serve", "Serve the application with uvicorn", f"{_COMMANDS}.serve:serve"),
    CommandSpec(
        "broadcast:serve",
        "Serve the broadcasting WebSocket server alone (REVERB_SERVER_HOST:PORT)",
        f"{_COMMANDS}.broadcast_serve:broadcast_serve",
    ),
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
    CommandSpec(
        "migrate:reset",
        "Rollback all database migrations",
        f"{_COMMANDS}.migrate_reset:migrate_reset",
    ),
    CommandSpec(
        "migrate:refresh",
        "Reset and re-run all migrations",
        f"{_COMMANDS}.migrate_reset:migrate_refresh",
    ),
    CommandSpec("db:wipe", "Drop all tables", f"{_COMMANDS}.migrate_reset:db_wipe"),
    CommandSpec(
        "db:show", "Display information about the database", f"{_COMMANDS}.db_show:db_show"
    ),
    CommandSpec(
        "down", "Put the application into maintenance mode", f"{_COMMANDS}.maintenance:down"
    ),
    CommandSpec(
        "up", "Bring the application out of maintenance mode", f"{_COMMANDS}.maintenance:up"
    ),
    CommandSpec("tinker", "Interact with your application", f"{_COMMANDS}.tinker:tinker"),
    CommandSpec("cache:clear", "Flush the application cache", f"{_COMMANDS}.cache:cache_clear"),
    CommandSpec(
        "storage:link",
        "Create the symbolic link from public/storage to the public disk",
        f"{_COMMANDS}.storage_link:storage_link",
    ),
    CommandSpec(
        "config:show",
        "Display the configuration in effect (secrets masked)",
        f"{_COMMANDS}.config_show:config_show",
    ),
    CommandSpec(
        "event:list",
        "List the application's events and listeners",
        f"{_COMMANDS}.event_list:event_list",
    ),
    CommandSpec(
        "model:show", "Show information about a model", f"{_COMMANDS}.model_show:model_show"
    ),
    CommandSpec(
        "model:prune",
        "Prune models that are no longer needed",
        f"{_COMMANDS}.model_prune:model_prune",
    ),
    CommandSpec(
        "activitylog:clean",
        "Clean up old records from the activity log",
        f"{_COMMANDS}.activitylog:activitylog_clean",
    ),
    CommandSpec(
        "notifications:prune-webhook-deliveries",
        "Delete webhook delivery attempts older than the retention",
        f"{_COMMANDS}.notifications:notifications_prune_webhook_deliveries",
    ),
    CommandSpec("route:list", "List all registered routes", f"{_COMMANDS}.routes:route_list"),
    CommandSpec("key:generate", "Set the application key", f"{_COMMANDS}.key:key_generate"),
    CommandSpec("jwt:keys", "Generate the JWT signing key pair", f"{_COMMANDS}.jwt:jwt_keys"),
    CommandSpec(
        "webpush:vapid",
        "Generate the VAPID key pair for Web Push",
        f"{_COMMANDS}.webpush:webpush_vapid",
    ),
    CommandSpec(
        "jwt:rotate",
        "Make a new JWT signing key, keeping the old one",
        f"{_COMMANDS}.jwt:jwt_rotate",
    ),
    CommandSpec(
        "auth:prune-revocations",
        "Delete expired token and session revocations",
        f"{_COMMANDS}.revocations:auth_prune_revocations",
    ),
    CommandSpec("user:create", "Create a user", f"{_COMMANDS}.user:user_create"),
    CommandSpec(
        "mfa:stats",
        "Show MFA adoption per method and failure rates",
        f"{_COMMANDS}.mfa:mfa_stats",
    ),
    CommandSpec(
        "mfa:reset", "Remove every second factor of a user (audited)", f"{_COMMANDS}.mfa:mfa_reset"
    ),
    CommandSpec(
        "user:assign-role", "Assign a role to a user", f"{_COMMANDS}.permission:user_assign_role"
    ),
    CommandSpec(
        "permission:create-role",
        "Create a role (if missing) and give it permissions",
        f"{_COMMANDS}.permission:permission_create_role",
    ),
    CommandSpec(
        "permission:create-permission",
        "Create a permission (if missing)",
        f"{_COMMANDS}.permission:permission_create_permission",
    ),
    CommandSpec(
        "permission:show",
        "Show a table of roles and permissions per guard",
        f"{_COMMANDS}.permission:permission_show",
    ),
    CommandSpec(
        "permission:cache-reset",
        "Reset the permission cache",
        f"{_COMMANDS}.permission:permission_cache_reset",
    ),
    CommandSpec("oauth:client", "Create an OAuth2 client", f"{_COMMANDS}.oauth:oauth_client"),
    CommandSpec("oauth:clients", "List the OAuth2 clients", f"{_COMMANDS}.oauth:oauth_clients"),
    CommandSpec(
        "oauth:purge", "Delete revoked and expired OAuth2 tokens", f"{_COMMANDS}.oauth:oauth_purge"
    ),
    *(
        CommandSpec(f"make:{kind}", text, f"{_COMMANDS}.make_classes:make_{kind}")
        for kind, text in (
            ("controller", "Create a new controller"),
            ("service", "Create a new service class"),
            ("request", "Create a new form request class"),
            ("resource", "Create a new API resource"),
            ("policy", "Create a new policy class"),
            ("observer", "Create a new model observer class"),
            ("factory", "Create a new model factory"),
            ("seeder", "Create a new seeder class"),
            ("middleware", "Create a new ASGI middleware class"),
            ("provider", "Create a new service provider class"),
        )
    ),
    CommandSpec("make:model", "Create a new model class", f"{_COMMANDS}.make_model:make_model"),
    CommandSpec(
        "make:command", "Create a new artisan command", f"{_COMMANDS}.make_command:make_command"
    ),
    CommandSpec("make:job", "Create a new job class", f"{_COMMANDS}.make_classes:make_job"),
    CommandSpec("make:test", "Create a new test module", f"{_COMMANDS}.make_tests:make_test"),
    *(
        CommandSpec(f"make:{kind}", text, f"{_COMMANDS}.make_domain:make_{kind}")
        for kind, text in (
            ("event", "Create a new event class"),
            ("listener", "Create a new event listener class"),
            ("mail", "Create a new mailable class and its views"),
            ("notification", "Create a new notification class"),
            ("rule", "Create a new validation rule"),
            ("exception", "Create a new HTTP exception class"),
            ("enum", "Create a new enum"),
            ("scope", "Create a new global scope class"),
            ("cast", "Create a new custom cast (column type)"),
        )
    ),
    *(
        CommandSpec(
            f"schedule:{verb}", text, f"{_COMMANDS}.schedule:schedule_{verb.replace('-', '_')}"
        )
        for verb, text in (
            ("run", "Run the scheduled tasks that are due (from cron, every minute)"),
            ("work", "Run the scheduler in the foreground, every minute"),
            ("list", "List the scheduled tasks and when they are next due"),
            ("test", "Run one scheduled task now"),
            ("clear-cache", "Release the scheduled tasks' overlap locks"),
        )
    ),
    CommandSpec(
        "queue:work", "Start processing jobs on the queue", f"{_COMMANDS}.queue_work:queue_work"
    ),
    CommandSpec(
        "queue:listen",
        "Work the queue, restarting the worker when code changes (development)",
        f"{_COMMANDS}.queue_listen:queue_listen",
    ),
    CommandSpec(
        "queue:restart",
        "Restart queue workers after their current job",
        f"{_COMMANDS}.queue_work:queue_restart",
    ),
    CommandSpec(
        "queue:pause",
        "Pause job processing on a queue ([connection:]queue, --ttl)",
        f"{_COMMANDS}.queue_pause:queue_pause",
    ),
    CommandSpec(
        "queue:continue",
        "Resume job processing on a paused queue ([connection:]queue)",
        f"{_COMMANDS}.queue_pause:queue_continue",
    ),
    *(
        CommandSpec(
            f"queue:{verb}", text, f"{_COMMANDS}.queue_failed:queue_{verb.replace('-', '_')}"
        )
        for verb, text in (
            ("failed", "List all of the failed queue jobs"),
            ("retry", "Retry failed queue jobs (ID... or all)"),
            ("forget", "Delete a failed queue job"),
            ("flush", "Flush all of the failed queue jobs"),
            ("prune-failed", "Prune stale entries from the failed jobs table"),
            ("clear", "Delete all of the jobs from a queue (asks first)"),
            ("stats", "Show pending, reserved, delayed, failed and processed jobs per queue"),
        )
    ),
    *(
        CommandSpec(
            f"queue:{verb}", text, f"{_COMMANDS}.queue_batches:queue_{verb.replace('-', '_')}"
        )
        for verb, text in (
            ("batches", "List the job batches, newest first"),
            ("retry-batch", "Retry the failed jobs of a batch"),
            ("prune-batches", "Prune stale entries from the batches table"),
        )
    ),
    *(
        CommandSpec(f"queue:{verb}", text, f"{_COMMANDS}.queue_metrics:queue_{verb}")
        for verb, text in (
            ("metrics", "Show throughput, runtime, wait and failures per queue and job class"),
            ("monitor", "Fire QueueBusy for queues at or over their size (queue[:max] ...)"),
            ("health", "Exit 1 when workers are missing or a queue is stuck (uptime checks)"),
        )
    ),
    CommandSpec(
        "queue:top",
        "Full-screen live view of queues, workers and failed jobs (keys: s / r R q)",
        f"{_COMMANDS}.queue_top:queue_top",
    ),
)

#: Where ``make:command`` writes the application's commands, and their package.
APP_COMMANDS_PATH = project_root() / "app" / "console" / "commands"
APP_COMMANDS_PACKAGE = "app.console.commands"
#: The module whose ``COMMANDS`` tuple lists the application's other commands.
CONSOLE_ROUTES = "routes.console"


def discover_commands(
    folder: Path = APP_COMMANDS_PATH, package: str = APP_COMMANDS_PACKAGE
) -> tuple[CommandSpec, ...]:
    """The commands in ``folder``: each module with ``NAME``/``HELP`` strings and ``handle``.

    Modules without them (helpers, ``__init__``) are skipped, as is a file that does not parse
    (running the command reports the error; listing the others should still work).
    """
    if not folder.is_dir():
        return ()
    found: list[CommandSpec] = []
    for module in sorted(folder.glob("*.py")):
        try:
            tree = ast.parse(module.read_text(encoding="utf-8"), filename=str(module))
        except (SyntaxError, UnicodeDecodeError, OSError):
            continue
        constants: dict[str, str] = {}
        has_handle = False
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "handle":
                has_handle = True
            target = _assigned_string(node)
            if target is not None:
                constants[target[0]] = target[1]
        if has_handle and "NAME" in constants:
            help_text = constants.get("HELP", "")
            found.append(
                CommandSpec(constants["NAME"], help_text, f"{package}.{module.stem}:handle")
            )
    return tuple(found)


def _assigned_string(node: ast.stmt) -> tuple[str, str] | None:
    """``(name, value)`` for ``NAME = "..."`` or ``NAME: str = "..."``."""
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target, value = node.targets[0], node.value
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        target, value = node.target, node.value
    else:
        return None
    if isinstance(target, ast.Name) and isinstance(value, ast.Constant):
        if isinstance(value.value, str):
            return target.id, value.value
    return None


def listed_commands(module: str = CONSOLE_ROUTES) -> tuple[CommandSpec, ...]:
    """The ``COMMANDS`` of the application's console routes (none when it has no such file)."""
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module.startswith(exc.name):
            return ()
        raise
    commands = getattr(found, "COMMANDS", ())
    if not all(isinstance(spec, CommandSpec) for spec in commands):
        raise TypeError(f"{module}.COMMANDS must be a tuple of CommandSpec")
    return tuple(commands)


def default_registry() -> CommandRegistry:
    """A fresh registry: the built-in commands, then the discovered ones, then the listed ones."""
    return CommandRegistry((*BUILTIN_COMMANDS, *discover_commands(), *listed_commands()))
