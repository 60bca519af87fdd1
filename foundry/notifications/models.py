"""The ``notifications`` table: what the ``database`` channel stores, one row per notifiable.

``notifiable_type`` is the notifiable model's table name (as the permission tables name their
holders) and ``notifiable_id`` its primary key as text, so integer and UUID keys both fit.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model, TimestampsMixin
from foundry.database.types import utcnow, uuid7

__all__ = ["DatabaseNotification", "notifiable_key"]


def notifiable_key(notifiable: object) -> tuple[str, str]:
    """``(notifiable_type, notifiable_id)`` of a model.

    Raises:
        TypeError: ``notifiable`` is not a model, or has no primary key yet (flush it first).
    """
    state: Any = sa_inspect(notifiable, raiseerr=False)
    mapper = getattr(state, "mapper", None)
    if mapper is None:
        raise TypeError(
            f"the database channel stores notifications for models, not {type(notifiable)!r}"
        )
    key = state.identity or mapper.primary_key_from_instance(notifiable)
    if key is None or any(part is None for part in key):
        raise TypeError("the notifiable has no primary key yet: flush it before notifying it")
    return str(mapper.local_table.name), ":".join(str(part) for part in key)


class DatabaseNotification(TimestampsMixin, Model):
    """A notification kept for its notifiable to read (Laravel's ``DatabaseNotification``)."""

    __tablename__ = "notifications"
    __table_args__ = (
        # A notifiable's inbox, newest first, is the one query every page runs.
        Index("ix_notifications_notifiable", "notifiable_type", "notifiable_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    type: Mapped[str] = mapped_column(String(255))
    notifiable_type: Mapped[str] = mapped_column(String(255))
    notifiable_id: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]]
    read_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def read(self) -> bool:
        """Whether it was marked read."""
        return self.read_at is not None

    def mark_as_read(self) -> None:
        """Set ``read_at`` (kept if already set); the caller's unit of work saves it."""
        if self.read_at is None:
            self.read_at = utcnow()

    def mark_as_unread(self) -> None:
        """Clear ``read_at``."""
        self.read_at = None
