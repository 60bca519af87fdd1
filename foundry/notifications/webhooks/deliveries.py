"""The record of webhook deliveries: every attempt, successful or not, in
``webhook_deliveries``, kept for ``WEBHOOK_DELIVERIES_RETENTION_DAYS`` (pruned by
``artisan notifications:prune-webhook-deliveries``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select

from foundry.database.manager import DatabaseManager
from foundry.database.types import utcnow
from foundry.notifications.http_delivery import Attempt, public_url
from foundry.notifications.tables.webhook_delivery import WebhookDelivery

__all__ = ["DeliveryLog"]

_MAX_ERROR = 1000


class DeliveryLog:
    """Writes each attempt in a transaction of its own: a failed delivery is recorded even when
    the job sending it then fails and its own work is rolled back."""

    def __init__(self, database: DatabaseManager) -> None:
        self._database = database

    async def record(self, delivery_id: str, url: str, event: str, attempt: Attempt) -> None:
        """Store one attempt (the URL without its query, which may hold a token)."""
        async with self._database.begin() as connection:
            await connection.execute(
                insert(WebhookDelivery).values(
                    delivery_id=delivery_id,
                    url=public_url(url)[:2048],
                    event=event,
                    status_code=attempt.status,
                    attempt=attempt.number,
                    error=None if attempt.error is None else attempt.error[:_MAX_ERROR],
                    created_at=utcnow(),
                )
            )

    async def attempts(self, delivery_id: str) -> list[WebhookDelivery]:
        """The attempts of one delivery, first first."""
        async with self._database.session() as session:
            found = await session.scalars(
                select(WebhookDelivery)
                .where(WebhookDelivery.delivery_id == delivery_id)
                .order_by(WebhookDelivery.attempt)
            )
            return list(found)

    async def prune(self, days: int, *, now: datetime | None = None) -> int:
        """Delete the attempts recorded more than ``days`` ago, in one committed transaction;
        how many went.

        Raises:
            ValueError: ``days`` is not positive (0 would delete the attempts of deliveries
                still being retried).
        """
        if days < 1:
            raise ValueError("days must be at least 1")
        cutoff = (now or utcnow()) - timedelta(days=days)
        async with self._database.begin() as connection:
            result = await connection.execute(
                delete(WebhookDelivery).where(WebhookDelivery.created_at < cutoff)
            )
        return int(getattr(result, "rowcount", 0) or 0)
