"""``activitylog:clean``: delete activity log entries older than ``--days`` (Spatie's command).

::

    artisan activitylog:clean                 # older than ACTIVITY_DELETE_RECORDS_OLDER_THAN_DAYS
    artisan activitylog:clean auth --days=90  # only the auth log
"""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.output import Output
from foundry.console.runtime import confirm_in_production, load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["activitylog_clean"]


def activitylog_clean(
    log: Annotated[
        str | None, typer.Argument(help="Only this log (all logs when left out)")
    ] = None,
    days: Annotated[
        int | None,
        typer.Option("--days", min=1, help="Keep this many days (default: config activitylog.py)"),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Run in production without asking")
    ] = False,
) -> None:
    """Clean up old records from the activity log."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from foundry.activity.cleaning import clean_activity_log
    from foundry.config.activitylog import ActivityLogSettings

    config = load_config()
    confirm_in_production(config, force=force)
    keep = days or config.settings(ActivityLogSettings).delete_records_older_than_days

    async def work(application: Application, scope: Container) -> int:
        return await clean_activity_log(scope.make(AsyncSession), keep, log)

    deleted = run_in_application(work, config)
    Output().info(f"Deleted {deleted} record(s) from the activity log (older than {keep} days).")
