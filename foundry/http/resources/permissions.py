"""How roles, permissions and a user's effective permissions look in JSON."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from foundry.auth.user import AuthUser
from foundry.http.resources.json_resource import JsonResource
from foundry.http.resources.schemas import PermissionData, RoleData, UserPermissionsData
from foundry.permissions import Permission, PermissionRecord, Role

__all__ = ["PermissionResource", "RoleResource", "UserPermissionsResource", "role_summary"]


def role_summary(role: Role) -> dict[str, Any]:
    """``{"id", "name", "guard_name"}`` (what ``?include=roles`` adds to a user)."""
    return {"id": role.id, "name": role.name, "guard_name": role.guard_name}


def _permission(permission: Permission | PermissionRecord) -> dict[str, Any]:
    return {"id": permission.id, "name": permission.name, "guard_name": permission.guard_name}


class PermissionResource(JsonResource[Permission]):
    """``{"id", "name", "guard_name", "created_at", "updated_at"}``."""

    schema = PermissionData

    def to_dict(self, request: Request) -> dict[str, Any]:
        permission = self.resource
        return {
            **_permission(permission),
            "created_at": permission.created_at,
            "updated_at": permission.updated_at,
        }


class RoleResource(JsonResource[Role]):
    """A role with its ``team_id`` and, when loaded, its ``permissions`` (names)."""

    schema = RoleData

    def to_dict(self, request: Request) -> dict[str, Any]:
        role = self.resource
        return {
            **role_summary(role),
            "team_id": role.team_id,
            "permissions": self.when_loaded(
                "permissions", lambda: sorted(p.name for p in role.permissions)
            ),
            "created_at": role.created_at,
            "updated_at": role.updated_at,
        }


class UserPermissionsResource(JsonResource[AuthUser]):
    """A user's roles and permissions: direct, via roles, and all of them (loaded state)."""

    schema = UserPermissionsData

    def to_dict(self, request: Request) -> dict[str, Any]:
        user = self.resource
        return {
            "user_id": user.id,
            "roles": user.get_role_names(),
            "direct_permissions": [_permission(p) for p in user.get_direct_permissions()],
            "permissions_via_roles": [_permission(p) for p in user.get_permissions_via_roles()],
            "permissions": sorted(user.get_permission_names()),
        }
