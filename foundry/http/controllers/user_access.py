"""``/api/v1/users/{id}/roles`` and ``/permissions``: who holds what.

Reading a user's effective permissions needs ``users.view``; changing them
``users.manage-access``. Unknown role or permission names, and names of another guard, are a 422;
an unknown user a 404. Only a super-admin grants or takes away ``super-admin`` (403
``super_admin_only``); with ``PERMISSION_TEAMS=true`` roles are given in the current team.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse

from foundry.auth.services.access_control_service import AccessControlService
from foundry.http.dependencies import Inject
from foundry.http.ids import RecordId
from foundry.http.mfa import require_mfa
from foundry.http.permissions import AuthorizedUser, require_permission
from foundry.http.requests import Validated
from foundry.http.requests.permissions import PermissionNamesRequest, RoleNamesRequest
from foundry.http.resources.permissions import UserPermissionsResource
from foundry.http.scopes import require_scopes

__all__ = ["router"]

router = APIRouter(prefix="/users/{user_id}", tags=["roles and permissions"])

Service = Inject[AccessControlService]
#: First-party login tokens pass; any other token must carry the ``admin`` scope: a personal
#: access token or a client's token made for something else never wields an admin's powers.
_ADMIN = Depends(require_scopes("admin"))
#: Changing who may do what needs a recent second factor from admins who have MFA.
_STEP_UP = Depends(require_mfa())
_view = [Depends(require_permission("users.view")), _ADMIN]
_manage = [Depends(require_permission("users.manage-access")), _ADMIN, _STEP_UP]


@router.get("/permissions", response_model=None, dependencies=_view)
async def effective(request: Request, user_id: RecordId, service: Service) -> JSONResponse:
    """The user's roles, direct permissions, permissions via roles, and all of them."""
    return UserPermissionsResource(await service.user(user_id)).to_response(request)


@router.post("/roles", response_model=None, dependencies=_manage)
async def assign_roles(
    request: Request,
    user_id: RecordId,
    data: Validated[RoleNamesRequest],
    service: Service,
    actor: AuthorizedUser,
) -> JSONResponse:
    """Give roles (those held stay)."""
    user = await service.assign_roles(actor, user_id, data.roles)
    return UserPermissionsResource(user).to_response(request)


@router.put("/roles", response_model=None, dependencies=_manage)
async def sync_roles(
    request: Request,
    user_id: RecordId,
    data: Validated[RoleNamesRequest],
    service: Service,
    actor: AuthorizedUser,
) -> JSONResponse:
    """Make the user's roles exactly these."""
    user = await service.assign_roles(actor, user_id, data.roles, sync=True)
    return UserPermissionsResource(user).to_response(request)


@router.delete("/roles/{role}", response_model=None, dependencies=_manage)
async def remove_role(
    request: Request, user_id: RecordId, role: str, service: Service, actor: AuthorizedUser
) -> JSONResponse:
    """Take a role away."""
    user = await service.remove_role(actor, user_id, role)
    return UserPermissionsResource(user).to_response(request)


@router.post("/permissions", response_model=None, dependencies=_manage)
async def give_permissions(
    request: Request, user_id: RecordId, data: Validated[PermissionNamesRequest], service: Service
) -> JSONResponse:
    """Give permissions directly."""
    user = await service.give_permissions(user_id, data.permissions)
    return UserPermissionsResource(user).to_response(request)


@router.put("/permissions", response_model=None, dependencies=_manage)
async def sync_permissions(
    request: Request, user_id: RecordId, data: Validated[PermissionNamesRequest], service: Service
) -> JSONResponse:
    """Make the user's direct permissions exactly these."""
    user = await service.give_permissions(user_id, data.permissions, sync=True)
    return UserPermissionsResource(user).to_response(request)


@router.delete("/permissions/{permission}", response_model=None, dependencies=_manage)
async def revoke_permission(
    request: Request, user_id: RecordId, permission: str, service: Service
) -> JSONResponse:
    """Take a direct permission away."""
    user = await service.revoke_permission(user_id, permission)
    return UserPermissionsResource(user).to_response(request)
