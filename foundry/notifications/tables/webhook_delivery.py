"""The ``webhook_deliveries`` table: one row per attempt to deliver a signed webhook."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model
from foundry.database.types import utcnow

__all__ = ["WebhookDelivery"]


class WebhookDelivery(Model):
    """An attempt to deliver one webhook: retries share the ``delivery_id`` receivers see in
    ``X-Foundry-Delivery``; ``status_code`` is ``None`` when the receiver could not be reached.

    ``url`` is kept without its query string, which may carry a token.
    """

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(36), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    event: Mapped[str] = mapped_column(String(255))
    status_code: Mapped[int | None]
    attempt: Mapped[int]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
