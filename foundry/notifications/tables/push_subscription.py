"""The ``push_subscriptions`` table: the browsers a notifiable receives Web Push on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model
from foundry.database.types import utcnow

__all__ = ["PushSubscription"]


class PushSubscription(Model):
    """A browser's ``PushSubscription``: the push service ``endpoint`` and the keys the message
    is encrypted to (RFC 8291), owned polymorphically like a notification: ``notifiable_type``
    names the owner's table (``"users"``), ``notifiable_id`` its key as text.

    An endpoint is one browser profile, so it belongs to one owner at a time: subscribing it
    again (another user signing in on that browser) moves it.
    """

    __tablename__ = "push_subscriptions"
    __table_args__ = (
        Index("ix_push_subscriptions_notifiable", "notifiable_type", "notifiable_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notifiable_type: Mapped[str] = mapped_column(String(255))
    notifiable_id: Mapped[str] = mapped_column(String(64))
    endpoint: Mapped[str] = mapped_column(String(2048), unique=True)
    #: The browser's P-256 public key and auth secret, base64url as the browser gave them.
    p256dh: Mapped[str] = mapped_column(String(255))
    auth: Mapped[str] = mapped_column(String(255))
    content_encoding: Mapped[str] = mapped_column(String(16), default="aes128gcm")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
