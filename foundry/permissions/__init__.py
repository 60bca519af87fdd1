"""Roles and permissions (Spatie's laravel-permission), the registry cache and the Gate.

::

    from foundry.permissions import Gate, Permissions, Role, Permission

    role = await Role.create(session, name="editor")
    await role.give_permission_to("articles.edit")
    await user.assign_role("editor")
    await user.load_permissions(session)      # once per request: cached, no query when warm
    user.has_role("editor"); user.can("articles.edit"); Gate.authorize("update", article)
"""

from foundry.permissions.errors import (
    GuardDoesNotMatch,
    PermissionAlreadyExists,
    PermissionDoesNotExist,
    PermissionsNotLoaded,
    RoleAlreadyExists,
    RoleDoesNotExist,
    WildcardPermissionInvalid,
)
from foundry.permissions.facades import Gate, Permissions, authorize

# Register the session hooks: the registry cache is invalidated after a committed change, and a
# deleted holder's links are deleted with it.
from foundry.permissions import holder_links, invalidation  # noqa: F401  # isort: skip
from foundry.permissions.gate import AccessGate, Response, UserGate, gate_user, set_gate_user
from foundry.permissions.has_roles import HasRoles
from foundry.permissions.registry import PermissionRegistry
from foundry.permissions.snapshot import PermissionRecord, RoleRecord, Snapshot
from foundry.permissions.tables import NO_TEAM, Permission, Role
from foundry.permissions.teams import get_permissions_team_id, set_permissions_team_id

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
    "authorize",
    "WildcardPermissionInvalid",
    "gate_user",
    "get_permissions_team_id",
    "set_gate_user",
    "set_permissions_team_id",
]
