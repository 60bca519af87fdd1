"""Finding, creating and linking roles and permissions (the writes behind the model methods).

Lookups by name go to the database, not the cached registry: they run on the write paths (the
admin API, seeders, commands), which must see their own transaction's rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from foundry.database import facades
from foundry.kernel.facades import facade_root
from foundry.permissions import wildcard
from foundry.permissions.errors import (
    GuardDoesNotMatch,
    PermissionAlreadyExists,
    PermissionDoesNotExist,
    PermissionsNotLoaded,
    RoleAlreadyExists,
    RoleDoesNotExist,
)
from foundry.permissions.facades import Permissions
from foundry.permissions.registry import PermissionRegistry
from foundry.permissions.snapshot import Snapshot
from foundry.permissions.tables import Permission, Role, role_has_permissions
from foundry.permissions.teams import get_permissions_team_id

__all__ = [
    "RoleLike",
    "PermissionLike",
    "attach_snapshot",
    "check_guard",
    "create_permission",
    "create_role",
    "find_permission",
    "find_role",
    "registry",
    "resolve_permissions",
    "resolve_roles",
    "role_name_taken",
    "role_snapshot",
    "scope_session",
    "set_role_permissions",
]

# Role.__dict__ key: the registry snapshot the role's checks were loaded against.
_SNAPSHOT_KEY = "_permission_snapshot"

#: A role given by name, id or model; a permission likewise.
RoleLike = str | int | Role
PermissionLike = str | int | Permission


def registry() -> PermissionRegistry:
    """The registry of the running application (the ``Permissions`` facade's)."""
    return facade_root(Permissions)


def scope_session(session: AsyncSession | None) -> AsyncSession:
    """``session``, or the current scope's (the request's or job's unit of work)."""
    return facades.scope_session(session)


async def attach_snapshot(session: AsyncSession, role: Role) -> Role:
    """Keep the registry snapshot on ``role``: its checks tell unknown permissions by it."""
    role.__dict__[_SNAPSHOT_KEY] = await registry().snapshot(session)
    return role


def role_snapshot(role: Role) -> Snapshot:
    """The snapshot :func:`attach_snapshot` kept on ``role``, else this process's copy."""
    found = role.__dict__.get(_SNAPSHOT_KEY) or registry().cached
    if not isinstance(found, Snapshot):
        raise PermissionsNotLoaded(
            "the role's permissions are not loaded: await role.load_permissions(session) first"
        )
    return found


def check_guard(expected: str, given: str) -> None:
    """:class:`GuardDoesNotMatch` unless ``given`` is ``expected``."""
    if given != expected:
        raise GuardDoesNotMatch(
            f"The given role or permission should use guard `{expected}` instead of `{given}`."
        )


def _team(team_id: int | None) -> int | None:
    if team_id is not None or not registry().settings.teams:
        return team_id
    return get_permissions_team_id()


async def find_role(
    session: AsyncSession, name: str, guard: str | None = None, team_id: int | None = None
) -> Role:
    """The role ``name`` of ``guard`` (the team's own, else a global one), permissions loaded."""
    guard_name = guard or registry().default_guard
    team = _team(team_id)
    statement = (
        select(Role)
        .where(Role.name == name, Role.guard_name == guard_name)
        .options(selectinload(Role.permissions))
        .order_by(Role.team_id.is_(None))
    )
    if team is None:
        statement = statement.where(Role.team_id.is_(None))
    else:
        statement = statement.where(or_(Role.team_id == team, Role.team_id.is_(None)))
    found = (await session.scalars(statement.limit(1))).first()
    if found is None:
        raise RoleDoesNotExist.named(name, guard_name)
    return found


async def find_permission(session: AsyncSession, name: str, guard: str | None = None) -> Permission:
    """The permission ``name`` of ``guard``."""
    guard_name = guard or registry().default_guard
    statement = select(Permission).where(
        Permission.name == name, Permission.guard_name == guard_name
    )
    found = (await session.scalars(statement.limit(1))).first()
    if found is None:
        raise PermissionDoesNotExist.named(name, guard_name)
    return found


async def role_name_taken(
    session: AsyncSession, name: str, guard: str, team_id: int | None, *, ignore: int | None = None
) -> bool:
    """Whether a role ``name`` of ``guard`` exists in team ``team_id`` (None: a global one).

    A team's role may not take a global role's name either (Spatie's rule): in that team it
    would stand in for the global role wherever the name is used (``assign_role("admin")``).
    """
    statement = select(Role.id).where(Role.name == name, Role.guard_name == guard)
    if team_id is None:
        statement = statement.where(Role.team_id.is_(None))
    else:
        statement = statement.where(or_(Role.team_id == team_id, Role.team_id.is_(None)))
    if ignore is not None:
        statement = statement.where(Role.id != ignore)
    return await session.scalar(statement.limit(1)) is not None


async def create_role(
    session: AsyncSession, name: str, guard: str | None = None, team_id: int | None = None
) -> Role:
    """A new role; :class:`RoleAlreadyExists` when the name is taken for the guard and team."""
    guard_name = guard or registry().default_guard
    team = _team(team_id)
    if await role_name_taken(session, name, guard_name, team):
        raise RoleAlreadyExists(f"A role `{name}` already exists for guard `{guard_name}`.")
    role = Role(name=name, guard_name=guard_name, team_id=team)
    session.add(role)
    await session.flush()
    set_committed_value(role, "permissions", [])
    return role


async def create_permission(
    session: AsyncSession, name: str, guard: str | None = None
) -> Permission:
    """A new permission; malformed wildcard names are refused when wildcards are on."""
    guard_name = guard or registry().default_guard
    if registry().settings.wildcard:
        wildcard.validate(name)
    if not name.strip():
        raise PermissionDoesNotExist("A permission name must not be empty.")
    taken = select(Permission.id).where(
        Permission.name == name, Permission.guard_name == guard_name
    )
    if await session.scalar(taken.limit(1)) is not None:
        raise PermissionAlreadyExists(
            f"A `{name}` permission already exists for guard `{guard_name}`."
        )
    permission = Permission(name=name, guard_name=guard_name)
    session.add(permission)
    await session.flush()
    return permission


async def resolve_roles(session: AsyncSession, items: Iterable[RoleLike], guard: str) -> list[Role]:
    """Roles for names, ids or models, each checked against ``guard``; no duplicates."""
    found: dict[int, Role] = {}
    for item in items:
        if isinstance(item, Role):
            role = item
        elif isinstance(item, int):
            by_id = await session.get(Role, item)
            if by_id is None:
                raise RoleDoesNotExist(f"There is no role with id `{item}`.")
            role = by_id
        else:
            role = await find_role(session, item, guard)
        check_guard(guard, role.guard_name)
        _check_team(role)
        found[role.id] = role
    return list(found.values())


def _check_team(role: Role) -> None:
    # With teams, a role given by id or model must be the current team's or a global one, as a
    # name would be found (Spatie's Role::findById): another team's role does not exist here.
    team = _team(None)
    if registry().settings.teams and role.team_id is not None and role.team_id != team:
        raise RoleDoesNotExist(f"There is no role with id `{role.id}` in this team.")


async def resolve_permissions(
    session: AsyncSession, items: Iterable[PermissionLike], guard: str
) -> list[Permission]:
    """Permissions for names, ids or models, each checked against ``guard``; no duplicates."""
    found: dict[int, Permission] = {}
    for item in items:
        if isinstance(item, Permission):
            permission = item
        elif isinstance(item, int):
            by_id = await session.get(Permission, item)
            if by_id is None:
                raise PermissionDoesNotExist(f"There is no permission with id `{item}`.")
            permission = by_id
        else:
            permission = await find_permission(session, item, guard)
        check_guard(guard, permission.guard_name)
        found[permission.id] = permission
    return list(found.values())


async def set_role_permissions(
    session: AsyncSession,
    role: Role,
    add: Sequence[Permission] = (),
    remove: Sequence[Permission] = (),
    *,
    replace: bool = False,
) -> None:
    """Write ``role``'s links: add, remove, or (``replace``) make them exactly ``add``."""
    current = {
        row[0]
        for row in await session.execute(
            select(role_has_permissions.c.permission_id).where(
                role_has_permissions.c.role_id == role.id
            )
        )
    }
    wanted = {p.id for p in add}
    dropped = (current - wanted) if replace else ({p.id for p in remove} & current)
    new = wanted - current
    if dropped:
        await session.execute(
            delete(role_has_permissions).where(
                role_has_permissions.c.role_id == role.id,
                role_has_permissions.c.permission_id.in_(dropped),
            )
        )
    if new:
        await session.execute(
            insert(role_has_permissions),
            [{"role_id": role.id, "permission_id": pid} for pid in sorted(new)],
        )
    kept = (current - dropped) | new
    loaded = {p.id: p for p in add}
    if "permissions" in role.__dict__:
        loaded.update({p.id: p for p in role.__dict__["permissions"]})
    if kept <= loaded.keys():
        set_committed_value(role, "permissions", [loaded[pid] for pid in sorted(kept)])
    else:
        fetched = await session.scalars(select(Permission).where(Permission.id.in_(kept)))
        set_committed_value(role, "permissions", sorted(fetched, key=lambda p: p.id))
