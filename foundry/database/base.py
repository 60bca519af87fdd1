"""The declarative ``Base`` every model inherits, and the Laravel-style column mixins.

Columns are declared with ``Mapped[...]``; the annotation map below picks the SQL type, so
``created_at: Mapped[datetime]`` is an aware UTC timestamp on every database::

    class Post(UuidPrimaryKeyMixin, TimestampsMixin, SoftDeletesMixin, Base):
        __tablename__ = "posts"

        title: Mapped[str] = mapped_column(String(200))
        body: Mapped[str]
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Enum as SqlEnum
from sqlalchemy import MetaData, Numeric, Table, Uuid, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column

from foundry.database.autoincrement import autoincrement_on_sqlite
from foundry.database.types import UtcDateTime, utcnow, uuid7

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "SoftDeletesMixin",
    "TimestampsMixin",
    "UuidPrimaryKeyMixin",
]

#: Every constraint gets a predictable name: alembic's batch mode on SQLite can only alter or
#: drop constraints it can name, and migrations written on one database then run on the other.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The base of every model; ``Base.metadata`` is what migrations compare against.

    A model whose primary key is one integer column gets ``AUTOINCREMENT`` on SQLite
    (``sqlite_autoincrement=True``, written into its generated migration too), so ids of deleted
    rows are never handed out again, as on PostgreSQL.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    type_annotation_map = {
        datetime: UtcDateTime(),
        uuid.UUID: Uuid(),
        Decimal: Numeric(18, 6),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
        # Enums are stored as their names in a VARCHAR: PostgreSQL enum types cannot change
        # inside a transaction and would make the two databases' migrations differ.
        enum.Enum: SqlEnum(enum.Enum, native_enum=False, length=64),
    }

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)  # maps the class: its table exists from here on
        table = cls.__dict__.get("__table__")
        if isinstance(table, Table):
            autoincrement_on_sqlite(table)


class UuidPrimaryKeyMixin:
    """``id``: a time-ordered UUID primary key, set by Python when the row is created."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7, sort_order=-10)


class TimestampsMixin:
    """``created_at`` and ``updated_at`` in UTC, kept by the ORM (Laravel's timestamps)."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow, sort_order=10)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, sort_order=10)


@event.listens_for(TimestampsMixin, "before_insert", propagate=True)
def _stamp_new_row(mapper: Mapper[Any], connection: Connection, target: TimestampsMixin) -> None:
    # One clock reading for both, so a row that was never updated has updated_at == created_at
    # (two column defaults would read the clock twice). Values set by hand are kept.
    now = utcnow()
    if target.__dict__.get("created_at") is None:
        target.created_at = now
    if target.__dict__.get("updated_at") is None:
        target.updated_at = target.created_at


class SoftDeletesMixin:
    """``deleted_at``: a soft-deleted row is kept and marked instead of removed.

    ``soft_delete()`` and ``restore()`` change the attribute; the caller's unit of work flushes
    and commits it like any other change.
    """

    deleted_at: Mapped[datetime | None] = mapped_column(default=None, index=True, sort_order=11)

    @property
    def trashed(self) -> bool:
        """Whether the row is soft deleted."""
        return self.deleted_at is not None

    def soft_delete(self) -> None:
        """Mark the row deleted now (a second call keeps the first time)."""
        if self.deleted_at is None:
            self.deleted_at = utcnow()

    def restore(self) -> None:
        """Bring a soft-deleted row back."""
        self.deleted_at = None
