"""The ``teams`` table: what ``X-Team-ID`` names when permission teams are on."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model, TimestampsMixin

__all__ = ["Team"]


class Team(TimestampsMixin, Model):
    """A team: with ``PERMISSION_TEAMS=true`` roles and permissions are held per team."""

    __tablename__ = "teams"

    fillable: ClassVar[frozenset[str]] = frozenset({"name"})

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
