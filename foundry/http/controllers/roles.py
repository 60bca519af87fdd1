"""``/api/v1/roles`` and ``/api/v1/permissions``: the admin API for roles and permissions.

Reading needs ``roles.view`` / ``permissions.view``; writing ``roles.manage`` /
``permissions.manage`` (a super-admin passes every check). Unknown permission names are a 422,
duplicates a 409, a missing id a 404. With ``PERMISSION_TEAMS=true`` the service scopes every
call to the current team (``X-Team-ID``): see ``foundry.permissions.team_access``.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from starlette.responses import JSONResponse

from foundry.auth.services.access_control_service import (
    MANAGE_PERMISSIONS,
    MANAGE_ROLES,
    AccessControlService,
)
from foundry.http.dependencies import Inject
from foundry.http.ids import RecordId
from foundry.http.mfa import require_mfa
from foundry.http.permissions import AuthorizedUser, require_permission
from foundry.http.requests import Validated
from foundry.http.requests.permissions import (
    StorePermissionRequest,
    StoreRoleRequest,
    UpdatePermissionRequest,
    UpdateRoleRequest,
)
from foundry.http.resources.permissions import PermissionResource, RoleResource
from foundry.http.scopes import require_scopes

__all__ = ["router"]

router = APIRouter(tags=["roles and permissions"])

Service = Inject[AccessControlService]
#: First-party login tokens pass; any other token must carry the ``admin`` scope: a personal
#: access token or a client's token made for something else never wields an admin's powers.
_ADMIN = Depends(require_scopes("admin"))
#: Changing who may do what needs a recent second factor from admins who have MFA.
_STEP_UP = Depends(require_mfa())
_view_roles = [Depends(require_permission(f"roles.view|{MANAGE_ROLES}")), _ADMIN]
_manage_roles = [Depends(require_permission(MANAGE_ROLES)), _ADMIN, _STEP_UP]
_view_permissions = [
    Depends(require_permission(f"permissions.view|{MANAGE_PERMISSIONS}")),
    _ADMIN,
]
_manage_permissions = [Depends(require_permission(MANAGE_PERMISSIONS)), _ADMIN, _STEP_UP]


@router.get("/roles", response_model=None, dependencies=_view_roles)
async def roles_index(request: Request, service: Service) -> JSONResponse:
    """Every role with its permission names."""
    return RoleResource.collection(await service.roles()).to_response(request)


@router.post("/roles", response_model=None, status_code=201, dependencies=_manage_roles)
async def roles_store(
    request: Request, data: Validated[StoreRoleRequest], service: Service, actor: AuthorizedUser
) -> JSONResponse:
    """Create a role (201); 409 when it exists, 422 for unknown permissions."""
    role = await service.create_role(
        actor, data.name, data.guard_name, data.permissions, data.team_id
    )
    return RoleResource(await service.role(role.id)).to_response(request, status=201)


@router.get("/roles/{role_id}", response_model=None, dependencies=_view_roles)
async def roles_show(request: Request, role_id: RecordId, service: Service) -> JSONResponse:
    """One role."""
    return RoleResource(await service.role(role_id)).to_response(request)


@router.patch("/roles/{role_id}", response_model=None, dependencies=_manage_roles)
async def roles_update(
    request: Request,
    role_id: RecordId,
    data: Validated[UpdateRoleRequest],
    service: Service,
    actor: AuthorizedUser,
) -> JSONResponse:
    """Rename a role and/or replace its permissions."""
    role = await service.update_role(actor, role_id, data.name, data.permissions)
    return RoleResource(role).to_response(request)


@router.delete("/roles/{role_id}", status_code=204, dependencies=_manage_roles)
async def roles_destroy(role_id: RecordId, service: Service, actor: AuthorizedUser) -> Response:
    """Delete a role (204)."""
    await service.delete_role(actor, role_id)
    return Response(status_code=204)


@router.get("/permissions", response_model=None, dependencies=_view_permissions)
async def permissions_index(request: Request, service: Service) -> JSONResponse:
    """Every permission."""
    return PermissionResource.collection(await service.permissions()).to_response(request)


@router.post("/permissions", response_model=None, status_code=201, dependencies=_manage_permissions)
async def permissions_store(
    request: Request,
    data: Validated[StorePermissionRequest],
    service: Service,
    actor: AuthorizedUser,
) -> JSONResponse:
    """Create a permission (201); 409 when it exists, 422 for a malformed wildcard."""
    permission = await service.create_permission(actor, data.name, data.guard_name)
    return PermissionResource(permission).to_response(request, status=201)


@router.get("/permissions/{permission_id}", response_model=None, dependencies=_view_permissions)
async def permissions_show(
    request: Request, permission_id: RecordId, service: Service
) -> JSONResponse:
    """One permission."""
    return PermissionResource(await service.permission(permission_id)).to_response(request)


@router.patch("/permissions/{permission_id}", response_model=None, dependencies=_manage_permissions)
async def permissions_update(
    request: Request,
    permission_id: RecordId,
    data: Validated[UpdatePermissionRequest],
    service: Service,
    actor: AuthorizedUser,
) -> JSONResponse:
    """Rename a permission."""
    permission = await service.rename_permission(actor, permission_id, data.name)
    return PermissionResource(permission).to_response(request)


@router.delete("/permissions/{permission_id}", status_code=204, dependencies=_manage_permissions)
async def permissions_destroy(
    permission_id: RecordId, service: Service, actor: AuthorizedUser
) -> Response:
    """Delete a permission (204)."""
    await service.delete_permission(actor, permission_id)
    return Response(status_code=204)
