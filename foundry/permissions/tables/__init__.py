"""The permission tables (Spatie's): ``roles``, ``permissions`` and three link tables.

A package named ``tables`` so the migration environment finds them (as a battery's tables).
"""

from foundry.permissions.tables.links import (
    NO_TEAM,
    model_has_permissions,
    model_has_roles,
    role_has_permissions,
)
from foundry.permissions.tables.permission import Permission
from foundry.permissions.tables.role import Role

__all__ = [
    "NO_TEAM",
    "Permission",
    "Role",
    "model_has_permissions",
    "model_has_roles",
    "role_has_permissions",
]
