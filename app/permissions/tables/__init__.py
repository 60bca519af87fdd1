"""The permission tables (Spatie's): ``roles``, ``permissions`` and three link tables.

A package named ``tables`` so the migration environment finds them (as a battery's tables).
"""

from app.permissions.tables.links import (
    NO_TEAM,
    model_has_permissions,
    model_has_roles,
    role_has_permissions,
)
from app.permissions.tables.permission import Permission
from app.permissions.tables.role import Role

__all__ = [
    "NO_TEAM",
    "Permission",
    "Role",
    "model_has_permissions",
    "model_has_roles",
    "role_has_permissions",
]
