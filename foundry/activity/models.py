"""``Activity``: one row of ``activity_log`` (spatie/laravel-activitylog's ``Activity`` model).

::

    stmt = Activity.in_log("auth", Activity.caused_by(user)).order_by(Activity.id.desc())
    entries = (await session.scalars(stmt)).all()
    entry.properties["old"]["status"]

Subjects and causers are polymorphic, as ``model_has_roles`` is: ``subject_type`` is the
model's table name and ``subject_id`` its primary key as text (integer and UUID keys alike).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Self

from sqlalchemy import JSON, BigInteger, Index, Integer, Select, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from foundry.activity.subjects import morph_of
from foundry.database.model import Model
from foundry.database.types import utcnow

__all__ = ["ACTIVITY_TABLE", "Activity"]

#: The table every entry goes to.
ACTIVITY_TABLE = "activity_log"


class Activity(Model):
    """One entry: what happened (``event``, ``description``), to what, by whom, with what data."""

    __tablename__ = ACTIVITY_TABLE
    __table_args__ = (
        Index("ix_activity_log_subject", "subject_type", "subject_id"),
        Index("ix_activity_log_causer", "causer_type", "causer_id"),
        # "Newest first in a log": a B-tree is read backwards as cheaply as forwards.
        Index("ix_activity_log_log_name_created_at", "log_name", "created_at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    log_name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text())
    subject_type: Mapped[str | None] = mapped_column(String(100), default=None)
    subject_id: Mapped[str | None] = mapped_column(String(64), default=None)
    causer_type: Mapped[str | None] = mapped_column(String(100), default=None)
    causer_id: Mapped[str | None] = mapped_column(String(64), default=None)
    event: Mapped[str | None] = mapped_column(String(100), default=None)
    properties: Mapped[dict[str, Any]] = mapped_column(JSON(), default=dict)
    batch_uuid: Mapped[uuid.UUID | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"Activity(id={self.id!r}, log_name={self.log_name!r}, event={self.event!r})"

    # -- scopes (Spatie's inLog, causedBy, forSubject, forEvent) -------------------------------

    @classmethod
    def _query(cls, stmt: Select[Self] | None) -> Select[Self]:
        return select(cls) if stmt is None else stmt

    @classmethod
    def in_log(cls, *log_names: str, stmt: Select[Self] | None = None) -> Select[Self]:
        """Entries of any of ``log_names``."""
        return cls._query(stmt).where(cls.log_name.in_(log_names))

    @classmethod
    def caused_by(cls, causer: object, stmt: Select[Self] | None = None) -> Select[Self]:
        """Entries whose causer is ``causer`` (a model, or a ``(type, id)`` pair)."""
        kind, key = morph_of(causer)
        return cls._query(stmt).where(cls.causer_type == kind, cls.causer_id == key)

    @classmethod
    def for_subject(cls, subject: object, stmt: Select[Self] | None = None) -> Select[Self]:
        """Entries about ``subject`` (a model, or a ``(type, id)`` pair)."""
        kind, key = morph_of(subject)
        return cls._query(stmt).where(cls.subject_type == kind, cls.subject_id == key)

    @classmethod
    def for_event(cls, *events: str, stmt: Select[Self] | None = None) -> Select[Self]:
        """Entries of any of ``events`` (``"created"``, ``"published"``, ...)."""
        return cls._query(stmt).where(cls.event.in_(events))

    @property
    def changes(self) -> dict[str, Any]:
        """``{"attributes": ..., "old": ...}`` of a model event (empty parts left out)."""
        return {
            key: self.properties[key] for key in ("attributes", "old") if key in self.properties
        }
