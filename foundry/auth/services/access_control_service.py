"""``AccessControlService``: the admin use cases for roles, permissions and who holds them.

Each method is a unit of work and commits. Unknown names raise ``RoleDoesNotExist`` /
``PermissionDoesNotExist`` (422), guard mismatches ``GuardDoesNotMatch`` (422), duplicates
``RoleAlreadyExists`` / ``PermissionAlreadyExists`` (409), missing records ``NotFoundError``.
The registry cache is invalidated by the session once the commit lands
(:mod:`foundry.permissions.invalidation`).

With ``PERMISSION_TEAMS=true`` everything is scoped to the current team
(:mod:`foundry.permissions.team_access`): another team's roles are a 404, global roles and
permissions change only for a global administrator (403 ``global_role`` /
``global_permission``), and a role is created in the current team only (403 ``other_team``).
Only a super-admin grants, takes away or changes ``super-admin`` (403 ``super_admin_only``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.kernel.errors import NotFoundError
from foundry.permissions import (
    Permission,
    PermissionAlreadyExists,
    PermissionRegistry,
    Role,
    RoleAlreadyExists,
    team_access,
    wildcard,
)
from foundry.permissions.auth_service_provider import SUPER_ADMIN
from foundry.permissions.operations import role_name_taken

__all__ = ["MANAGE_PERMISSIONS", "MANAGE_ROLES", "AccessControlService"]

#: The permission that lets an administrator create, change and delete roles.
MANAGE_ROLES = "roles.manage"
#: The permission that lets an administrator create, rename and delete permissions.
MANAGE_PERMISSIONS = "permissions.manage"


class AccessControlService:
    """Built per request by the container (it takes the request's session)."""

    def __init__(
        self, session: AsyncSession, registry: PermissionRegistry, users: UserProvider
    ) -> None:
        self.users = users
        self.session = session
        self.registry = registry

    # -- roles -----------------------------------------------------------------------------------

    async def roles(self) -> list[Role]:
        """Every role in view (in a team: its own and the global ones) with its permissions."""
        statement = select(Role).options(selectinload(Role.permissions)).order_by(Role.id)
        return list(await self.session.scalars(team_access.roles_in_view(statement)))

    async def role(self, role_id: int) -> Role:
        """One role in view with its permissions; 404 when missing or another team's."""
        statement = select(Role).where(Role.id == role_id).options(selectinload(Role.permissions))
        role = (await self.session.scalars(team_access.roles_in_view(statement))).first()
        if role is None:
            raise NotFoundError(f"Role {role_id} does not exist.")
        return role

    async def create_role(
        self,
        actor: AuthUser,
        name: str,
        guard: str | None,
        permissions: Sequence[str],
        team_id: int | None,
    ) -> Role:
        """A new role holding ``permissions`` (names of its guard), in the current team."""
        team_access.ensure_may_handle_super_admin(actor, [name])
        team = team_access.team_for_new_role(team_id)
        role = await Role.create(self.session, name=name, guard_name=guard, team_id=team)
        if permissions:
            await role.give_permission_to(*permissions, session=self.session)
        await self.session.commit()
        return role

    async def update_role(
        self, actor: AuthUser, role_id: int, name: str | None, permissions: Sequence[str] | None
    ) -> Role:
        """Rename and/or replace the permissions."""
        role = await self.role(role_id)
        team_access.ensure_may_change_role(actor, role, MANAGE_ROLES)
        if name is not None and name != role.name:
            team_access.ensure_may_handle_super_admin(actor, [name])
            if await role_name_taken(
                self.session, name, role.guard_name, role.team_id, ignore=role.id
            ):
                raise RoleAlreadyExists(
                    f"A role `{name}` already exists for guard `{role.guard_name}`."
                )
            role.name = name
        if permissions is not None:
            await role.sync_permissions(*permissions, session=self.session)
        await self.session.commit()
        return role

    async def delete_role(self, actor: AuthUser, role_id: int) -> None:
        """Delete the role; its links go with it (ON DELETE CASCADE)."""
        role = await self.role(role_id)
        team_access.ensure_may_change_role(actor, role, MANAGE_ROLES)
        await self.session.delete(role)
        await self.session.commit()

    # -- permissions -----------------------------------------------------------------------------

    async def permissions(self) -> list[Permission]:
        """Every permission, by id."""
        return list(await self.session.scalars(select(Permission).order_by(Permission.id)))

    async def permission(self, permission_id: int) -> Permission:
        """One permission; 404 when missing."""
        permission = await self.session.get(Permission, permission_id)
        if permission is None:
            raise NotFoundError(f"Permission {permission_id} does not exist.")
        return permission

    async def create_permission(self, actor: AuthUser, name: str, guard: str | None) -> Permission:
        """A new permission (checked as a wildcard pattern when wildcards are on)."""
        team_access.ensure_may_change_permissions(actor, MANAGE_PERMISSIONS)
        permission = await Permission.create(self.session, name=name, guard_name=guard)
        await self.session.commit()
        return permission

    async def rename_permission(self, actor: AuthUser, permission_id: int, name: str) -> Permission:
        """Rename a permission (holders keep it)."""
        permission = await self.permission(permission_id)
        team_access.ensure_may_change_permissions(actor, MANAGE_PERMISSIONS)
        if name != permission.name:
            if self.registry.settings.wildcard:
                wildcard.validate(name)
            taken = await self.session.scalar(
                select(Permission.id).where(
                    Permission.name == name, Permission.guard_name == permission.guard_name
                )
            )
            if taken is not None:
                raise PermissionAlreadyExists(
                    f"A `{name}` permission already exists for guard `{permission.guard_name}`."
                )
            permission.name = name
        await self.session.commit()
        return permission

    async def delete_permission(self, actor: AuthUser, permission_id: int) -> None:
        """Delete the permission from every role and holder."""
        permission = await self.permission(permission_id)
        team_access.ensure_may_change_permissions(actor, MANAGE_PERMISSIONS)
        await self.session.delete(permission)
        await self.session.commit()

    # -- holders ---------------------------------------------------------------------------------

    async def user(self, user_id: int) -> AuthUser:
        """The user with roles and permissions loaded; 404 when missing."""
        user = await self.users.find(self.session, user_id)
        if user is None:
            raise NotFoundError(f"User {user_id} does not exist.")
        return await user.load_permissions(self.session)

    async def assign_roles(
        self, actor: AuthUser, user_id: int, roles: Sequence[str], *, sync: bool = False
    ) -> AuthUser:
        """Give ``roles`` (or, with ``sync``, make them exactly these)."""
        user = await self.user(user_id)
        team_access.ensure_may_handle_super_admin(actor, roles)
        if sync and user.has_role(SUPER_ADMIN):
            team_access.ensure_may_handle_super_admin(actor, [SUPER_ADMIN])  # it would go
        if sync:
            await user.sync_roles(*roles, session=self.session)
        else:
            await user.assign_role(*roles, session=self.session)
        await self.session.commit()
        return user

    async def remove_role(self, actor: AuthUser, user_id: int, role: str) -> AuthUser:
        """Take ``role`` away (422 when no such role exists)."""
        user = await self.user(user_id)
        team_access.ensure_may_handle_super_admin(actor, [role])
        await user.remove_role(role, session=self.session)
        await self.session.commit()
        return user

    async def give_permissions(
        self, user_id: int, permissions: Sequence[str], *, sync: bool = False
    ) -> AuthUser:
        """Give permissions directly (or, with ``sync``, make the direct ones exactly these)."""
        user = await self.user(user_id)
        if sync:
            await user.sync_permissions(*permissions, session=self.session)
        else:
            await user.give_permission_to(*permissions, session=self.session)
        await self.session.commit()
        return user

    async def revoke_permission(self, user_id: int, permission: str) -> AuthUser:
        """Take a direct permission away."""
        user = await self.user(user_id)
        await user.revoke_permission_to(permission, session=self.session)
        await self.session.commit()
        return user
