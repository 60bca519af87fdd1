"""Console routes: the application's artisan commands that ``app/console/commands/`` does not
hold, and its scheduled tasks.

Each command is named by a dotted path, so ``artisan list`` imports nothing of it::

    COMMANDS = (
        CommandSpec("users:prune", "Delete unverified users", "app.services.users:prune"),
    )

A command with the name of a built-in one replaces it.

:func:`schedule` declares the tasks ``artisan schedule:run`` (cron, every minute) and
``artisan schedule:work`` run; it is called only by those commands, so import the jobs and
services it names inside it::

    def schedule(schedule: Schedule) -> None:
        from app.jobs.prune_job import PruneJob

        schedule.job(PruneJob()).daily_at("03:00")
        schedule.command("queue:prune-failed --hours=48").hourly()
        schedule.call(send_digest).every_five_minutes().without_overlapping()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.console.registry import CommandSpec

if TYPE_CHECKING:
    from foundry.console.scheduling import Schedule

__all__ = ["COMMANDS", "schedule"]

COMMANDS: tuple[CommandSpec, ...] = ()


def schedule(schedule: Schedule) -> None:
    """The application's scheduled tasks (times in ``APP_TIMEZONE`` unless an event says)."""
    schedule.command("auth:prune-revocations").daily().on_one_server()
    schedule.command("model:prune").daily().on_one_server()
    schedule.command("notifications:prune-webhook-deliveries").daily().on_one_server()
