"""Prunable models for ``model:prune``, on a declarative base of their own.

Their own ``MetaData`` keeps them out of ``Base.metadata``, so importing this module never makes
autogenerate (or any other test) see tables the test application does not have.
"""

from __future__ import annotations

from typing import Self

from sqlalchemy import Select, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from foundry.database.prunable import MassPrunable, Prunable

__all__ = ["AuditEntry", "PruneBase", "PRUNED", "StaleLog", "Visit"]

#: Ids of the ``StaleLog`` rows whose ``pruning()`` hook ran.
PRUNED: list[int] = []


class PruneBase(DeclarativeBase):
    pass


class StaleLog(Prunable, PruneBase):
    """Pruned one row at a time (its hook runs), two rows per chunk."""

    __tablename__ = "stale_logs"
    prune_chunk_size = 2

    id: Mapped[int] = mapped_column(primary_key=True)
    stale: Mapped[bool]

    @classmethod
    def prunable(cls) -> Select[Self]:
        return select(cls).where(cls.stale.is_(True))

    def pruning(self) -> None:
        PRUNED.append(self.id)


class Visit(MassPrunable, PruneBase):
    """Pruned with one DELETE per chunk."""

    __tablename__ = "visits"
    prune_chunk_size = 2

    id: Mapped[int] = mapped_column(primary_key=True)
    stale: Mapped[bool]

    @classmethod
    def prunable(cls) -> Select[Self]:
        return select(cls).where(cls.stale.is_(True))


class AuditEntry(PruneBase):
    """Not prunable."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
