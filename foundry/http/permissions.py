"""Route dependencies for roles and permissions (Spatie's middleware) and the current team.

::

    @router.get("/reports", dependencies=[Depends(require_permission("reports.view|reports.all"))])
    async def reports(user: AuthorizedUser) -> ...: ...

    @router.delete("/posts/{id}")
    async def destroy(id: int, user: Annotated[AuthUser, Depends(require_role("admin|editor"))]): ...

``|`` means any. A guest gets 403 ``not_logged_in`` and a user without the right 403
``missing_role`` / ``missing_permission`` / ``missing_role_or_permission``, each message naming
what was required (Spatie's middleware answers 403 for both; an invalid token is still a 401 from
the guard). Each loads the user's roles and permissions once (from the cache when warm: no query)
and makes the user the Gate's default, so the controller's ``user.can(...)`` and
``Gate.authorize(...)`` cost no query.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from foundry.auth.user import AuthUser
from foundry.config.permission import PermissionSettings
from foundry.http.auth import current_user, optional_user
from foundry.http.dependencies import container_for
from foundry.http.guards import CHECKS_PERMISSIONS, REQUIRES, mark
from foundry.http.ids import MAX_RECORD_ID
from foundry.kernel.errors import AuthorizationError, BadRequestError, NotFoundError
from foundry.permissions import set_gate_user, set_permissions_team_id
from foundry.permissions.teams import team_exists

__all__ = [
    "AuthorizedUser",
    "CurrentTeam",
    "authorized_user",
    "load_gate_user",
    "permissions_team",
    "require_permission",
    "require_role",
    "require_role_or_permission",
]

_TEAM_ID = re.compile(r"[0-9]{1,10}")
UserDependency = Callable[..., Awaitable[AuthUser]]


async def permissions_team(request: Request) -> int | None:
    """The team named by ``X-Team-ID`` (``PERMISSION_TEAM_HEADER``) when teams are on.

    A malformed id is a 400 ``invalid_team``, an unknown one a 404 ``team_not_found``.
    """
    container = container_for(request)
    settings = container.make(PermissionSettings)
    if not settings.teams:
        return None
    raw = request.headers.get(settings.team_header)
    team_id: int | None = None
    if raw is not None:
        # ASCII digits only (str.isdigit() accepts "²", which int() refuses), within an id's range.
        if not _TEAM_ID.fullmatch(raw.strip()) or not 1 <= int(raw) <= MAX_RECORD_ID:
            raise BadRequestError(
                f"The {settings.team_header} header must be a team id.", error="invalid_team"
            )
        team_id = int(raw)
        if not await team_exists(container.make(AsyncSession), team_id):
            raise NotFoundError(f"Team {team_id} does not exist.", error="team_not_found")
    set_permissions_team_id(team_id)
    return team_id


CurrentTeam = Annotated[int | None, Depends(permissions_team)]


async def load_gate_user(request: Request, user: AuthUser) -> AuthUser:
    """Load ``user``'s roles and permissions (once) and make them the Gate's user."""
    if not user.permissions_loaded:
        await user.load_permissions(container_for(request).make(AsyncSession))
    set_gate_user(user)
    return user


_authorize = load_gate_user


async def authorized_user(
    request: Request, user: Annotated[AuthUser, Depends(current_user)], _team: CurrentTeam
) -> AuthUser:
    """The authenticated user (401 otherwise) with roles and permissions loaded."""
    return await _authorize(request, user)


AuthorizedUser = Annotated[AuthUser, Depends(authorized_user)]


def _split(names: str | Sequence[str]) -> list[str]:
    items = [names] if isinstance(names, str) else list(names)
    found = [part.strip() for item in items for part in item.split("|") if part.strip()]
    if not found:
        raise ValueError("name at least one role or permission")
    return found


def _guarded(
    kind: str, error: str, names: list[str], allowed: Callable[[AuthUser], bool]
) -> UserDependency:
    needed = f"Necessary {kind} are {', '.join(names)}."

    async def dependency(
        request: Request,
        user: Annotated[AuthUser | None, Depends(optional_user)],
        _team: CurrentTeam,
    ) -> AuthUser:
        if user is None:
            raise AuthorizationError(f"User is not logged in. {needed}", error="not_logged_in")
        await _authorize(request, user)
        if not allowed(user):
            raise AuthorizationError(f"User does not have the right {kind}. {needed}", error=error)
        return user

    dependency.__name__ = f"require_{error.removeprefix('missing_')}"
    mark(dependency, CHECKS_PERMISSIONS)
    mark(dependency, REQUIRES, f"{_KINDS[kind]}:{'|'.join(names)}")
    return dependency


_KINDS = {"roles": "role", "permissions": "permission", "roles or permissions": "role|permission"}


def require_role(roles: str | Sequence[str], guard: str | None = None) -> UserDependency:
    """403 unless the user holds one of ``roles`` (``"admin|editor"``) for ``guard``."""
    names = _split(roles)
    return _guarded("roles", "missing_role", names, lambda u: u.has_any_role(names, guard=guard))


def require_permission(
    permissions: str | Sequence[str], guard: str | None = None
) -> UserDependency:
    """403 unless the user may do one of ``permissions``.

    Without ``guard`` the check is ``user.can(name)`` (the Gate: a super-admin passes, as with
    Spatie's middleware); with one, the permissions of that guard.
    """
    names = _split(permissions)

    def allowed(user: AuthUser) -> bool:
        if guard is None:
            return any(user.can(name) for name in names)
        return any(user.check_permission_to(name, guard) for name in names)

    return _guarded("permissions", "missing_permission", names, allowed)


def require_role_or_permission(
    names: str | Sequence[str], guard: str | None = None
) -> UserDependency:
    """403 unless the user holds one of the roles or may do one of the permissions."""
    items = _split(names)

    def allowed(user: AuthUser) -> bool:
        if user.has_any_role(items, guard=guard):
            return True
        if guard is None:
            return any(user.can(name) for name in items)
        return any(user.check_permission_to(name, guard) for name in items)

    return _guarded("roles or permissions", "missing_role_or_permission", items, allowed)
