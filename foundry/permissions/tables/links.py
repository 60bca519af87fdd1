"""The permission tables: ``roles``, ``permissions`` and the three link tables (Spatie's).

``model_has_roles`` and ``model_has_permissions`` are polymorphic: ``model_type`` names the
holder's table (``"users"``) and ``model_id`` its key, so any model with the ``HasRoles`` mixin
can hold roles. ``team_id`` on the link tables is ``0`` outside teams (it is part of the primary
key, which cannot hold NULL on PostgreSQL); on ``roles`` NULL means a role of every team.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table

from foundry.database import Base

__all__ = ["NO_TEAM", "model_has_permissions", "model_has_roles", "role_has_permissions"]

#: ``team_id`` of a link made outside any team.
NO_TEAM = 0

role_has_permissions = Table(
    "role_has_permissions",
    Base.metadata,
    Column(
        "permission_id",
        Integer,
        ForeignKey("permissions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "role_id", Integer, ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)

model_has_roles = Table(
    "model_has_roles",
    Base.metadata,
    Column("model_type", String(255), primary_key=True),
    Column("model_id", Integer, primary_key=True),
    Column("team_id", Integer, primary_key=True, default=NO_TEAM, server_default="0"),
    Column(
        "role_id", Integer, ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)

model_has_permissions = Table(
    "model_has_permissions",
    Base.metadata,
    Column("model_type", String(255), primary_key=True),
    Column("model_id", Integer, primary_key=True),
    Column("team_id", Integer, primary_key=True, default=NO_TEAM, server_default="0"),
    Column(
        "permission_id",
        Integer,
        ForeignKey("permissions.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)
