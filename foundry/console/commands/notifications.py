"""``notifications:prune-webhook-deliveries``: delete old rows of ``webhook_deliveries``.

::

    artisan notifications:prune-webhook-deliveries            # WEBHOOK_DELIVERIES_RETENTION_DAYS
    artisan notifications:prune-webhook-deliveries --days=7

Every attempt of the ``webhook`` channel is a row, so the table grows with the traffic; the
application's schedule (``routes/console.py``) runs this daily.
"""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = ["notifications_prune_webhook_deliveries"]


def notifications_prune_webhook_deliveries(
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            min=1,
            help="Keep this many days (default: WEBHOOK_DELIVERIES_RETENTION_DAYS)",
        ),
    ] = None,
) -> None:
    """Delete webhook delivery attempts older than the retention."""
    from foundry.config.notification_channels import NotificationChannelsSettings
    from foundry.notifications.webhooks.deliveries import DeliveryLog

    config = load_config()
    # No production prompt (unlike activitylog:clean): it runs unattended from the scheduler,
    # and what it deletes is a log of past attempts whose retention is configured.
    keep = days or config.settings(NotificationChannelsSettings).webhook_deliveries_retention_days

    async def work(application: Application, scope: Container) -> int:
        return await application.container.make(DeliveryLog).prune(keep)

    deleted = run_in_application(work, config)
    Output().info(f"Deleted {deleted} webhook delivery attempt(s) older than {keep} days.")
