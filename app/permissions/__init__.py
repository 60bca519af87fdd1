"""Roles and permissions (Spatie's laravel-permission), the registry cache and the Gate.

::

    from app.permissions import Gate, Permissions, Role, Permission

    role = await Role.create(session, name="editor")
    await role.give_permission_to("articles.edit")
    await user.assign_role("editor")
    await user.load_permissions(session)      # once per request: one query
    user.has_role("editor"); user.can("articles.edit"); Gate.authorize("update", article)
"""

from app.permissions.errors import (
    GuardDoesNotMatch,
    PermissionAlreadyExists,
    PermissionDoesNotExist,
    PermissionsNotLoaded,
    RoleAlreadyExists,
    RoleDoesNotExist,
    WildcardPermissionInvalid,
)
from app.permissions.gate import AccessGate, Response, UserGate, gate_user, set_gate_user
from app.permissions.has_roles import HasRoles
from app.permissions.registry import PermissionRegistry
from app.permissions.snapshot import PermissionRecord, RoleRecord, Snapshot
from app.permissions.tables import NO_TEAM, Permission, Role
from app.permissions.teams import get_permissions_team_id, set_permissions_team_id
from app.support.facades import facade

__all__ = [
    "NO_TEAM",
    "AccessGate",
    "Gate",
    "GuardDoesNotMatch",
    "HasRoles",
    "Permission",
    "PermissionAlreadyExists",
    "PermissionDoesNotExist",
    "PermissionRecord",
    "PermissionRegistry",
    "Permissions",
    "PermissionsNotLoaded",
    "Response",
    "Role",
    "RoleAlreadyExists",
    "RoleDoesNotExist",
    "RoleRecord",
    "Snapshot",
    "UserGate",
    "WildcardPermissionInvalid",
    "gate_user",
    "get_permissions_team_id",
    "set_gate_user",
    "set_permissions_team_id",
]

#: The Gate of the running app: ``Gate.define``, ``Gate.allows``, ``Gate.authorize`` ...
Gate: AccessGate = facade(AccessGate)
#: The permission registry: ``await Permissions.forget_cached_permissions()`` ...
Permissions: PermissionRegistry = facade(PermissionRegistry)
