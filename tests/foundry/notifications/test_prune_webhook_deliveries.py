"""``notifications:prune-webhook-deliveries`` keeps the last ``WEBHOOK_DELIVERIES_RETENTION_DAYS``
(30) days of ``webhook_deliveries``, or ``--days``; ``DeliveryLog.prune`` underneath."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from foundry.kernel.application import Application
from foundry.notifications.tables import WebhookDelivery
from foundry.notifications.webhooks import DeliveryLog
from tests.foundry.console.helpers import artisan


def _row(age_days: int, now: datetime) -> dict[str, object]:
    return {
        "delivery_id": f"delivery-{age_days}",
        "url": "https://hooks.example.com/in",
        "event": "order.shipped",
        "status_code": 200,
        "attempt": 1,
        "created_at": now - timedelta(days=age_days),
    }


def _ids(database_url: str, rows: list[dict[str, object]] | None = None) -> list[str]:
    async def work() -> list[str]:
        engine = create_async_engine(database_url)
        try:
            async with engine.begin() as connection:
                if rows:
                    await connection.execute(insert(WebhookDelivery), rows)
                found = await connection.execute(
                    select(WebhookDelivery.delivery_id).order_by(WebhookDelivery.created_at)
                )
                return [row[0] for row in found]
        finally:
            await engine.dispose()

    return asyncio.run(work())


@pytest.fixture
def env(database_url: str) -> Iterator[dict[str, str]]:
    """A migrated database of this test's own."""
    values = {"DATABASE_URL": database_url}
    migrated = artisan("migrate", env=values)
    assert migrated.exit_code == 0, migrated.output
    yield values


def test_the_command_deletes_attempts_older_than_the_retention(
    env: dict[str, str], database_url: str
) -> None:
    now = datetime.now(UTC)
    _ids(database_url, [_row(age, now) for age in (90, 40, 31, 20, 6, 0)])

    by_env = artisan(
        "notifications:prune-webhook-deliveries",
        env={**env, "WEBHOOK_DELIVERIES_RETENTION_DAYS": "60"},
    )
    assert by_env.exit_code == 0, by_env.output
    assert "Deleted 1 webhook delivery attempt(s) older than 60 days." in by_env.stdout
    default = artisan("notifications:prune-webhook-deliveries", env=env)  # 30 days
    assert default.exit_code == 0, default.output
    assert "Deleted 2 webhook delivery attempt(s) older than 30 days." in default.stdout
    assert _ids(database_url) == ["delivery-20", "delivery-6", "delivery-0"]

    by_option = artisan("notifications:prune-webhook-deliveries", "--days=7", env=env)
    assert "Deleted 1 webhook delivery attempt(s)" in by_option.stdout
    assert _ids(database_url) == ["delivery-6", "delivery-0"]
    refused = artisan("notifications:prune-webhook-deliveries", "--days=0", env=env)
    assert refused.exit_code == 2
    assert _ids(database_url) == ["delivery-6", "delivery-0"]


async def test_prune_counts_from_the_given_moment_and_refuses_zero_days(
    application: Application, db: AsyncConnection
) -> None:
    log = application.container.make(DeliveryLog)
    then = datetime(2026, 1, 31, 12, tzinfo=UTC)
    await db.execute(insert(WebhookDelivery), [_row(age, then) for age in (11, 10, 9)])

    # Exactly ten days old is kept: only what is older than the retention goes.
    assert await log.prune(10, now=then) == 1
    left = await db.execute(select(WebhookDelivery.delivery_id).order_by("delivery_id"))
    assert [row[0] for row in left] == ["delivery-10", "delivery-9"]
    with pytest.raises(ValueError, match="at least 1"):
        await log.prune(0)
