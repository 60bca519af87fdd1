"""The registry's data: every role, permission and role-permission link, as plain lookups.

A :class:`Snapshot` is immutable once built; a change builds a new one. It round-trips through
JSON so one process's copy can be shared with the others through the cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.permissions.tables import Permission, Role, role_has_permissions

__all__ = ["PermissionRecord", "RoleRecord", "Snapshot"]


@dataclass(frozen=True, slots=True)
class RoleRecord:
    """A role as the registry knows it."""

    id: int
    name: str
    guard_name: str
    team_id: int | None


@dataclass(frozen=True, slots=True)
class PermissionRecord:
    """A permission as the registry knows it."""

    id: int
    name: str
    guard_name: str


@dataclass(frozen=True)
class Snapshot:
    """Roles and permissions by id and by ``(name, guard)``, and each role's permission ids."""

    roles: Mapping[int, RoleRecord]
    permissions: Mapping[int, PermissionRecord]
    role_permissions: Mapping[int, frozenset[int]]
    permission_ids: Mapping[tuple[str, str], int] = field(init=False)

    def __post_init__(self) -> None:
        by_name = {(p.name, p.guard_name): p.id for p in self.permissions.values()}
        object.__setattr__(self, "permission_ids", by_name)

    @classmethod
    def build(
        cls,
        roles: Iterable[RoleRecord],
        permissions: Iterable[PermissionRecord],
        links: Iterable[tuple[int, int]],
    ) -> Snapshot:
        """From records and ``(role_id, permission_id)`` pairs."""
        grouped: dict[int, set[int]] = {}
        for role_id, permission_id in links:
            grouped.setdefault(role_id, set()).add(permission_id)
        return cls(
            roles={role.id: role for role in roles},
            permissions={permission.id: permission for permission in permissions},
            role_permissions={key: frozenset(ids) for key, ids in grouped.items()},
        )

    @classmethod
    async def load(cls, session: AsyncSession) -> Snapshot:
        """Read the three tables (three queries)."""
        roles = await session.execute(
            select(Role.id, Role.name, Role.guard_name, Role.team_id).order_by(Role.id)
        )
        permissions = await session.execute(
            select(Permission.id, Permission.name, Permission.guard_name).order_by(Permission.id)
        )
        links = await session.execute(
            select(role_has_permissions.c.role_id, role_has_permissions.c.permission_id)
        )
        return cls.build(
            (RoleRecord(*row) for row in roles),
            (PermissionRecord(*row) for row in permissions),
            ((row[0], row[1]) for row in links),
        )

    def find_role(self, name: str, guard: str, team_id: int | None = None) -> RoleRecord | None:
        """The role called ``name`` for ``guard``: the team's own first, then a global one."""
        found: RoleRecord | None = None
        for role in self.roles.values():
            if role.name == name and role.guard_name == guard:
                if role.team_id == team_id and team_id is not None:
                    return role
                if role.team_id is None:
                    found = role
        return found

    def find_permission(self, name: str, guard: str) -> PermissionRecord | None:
        """The permission called ``name`` for ``guard``."""
        found = self.permission_ids.get((name, guard))
        return None if found is None else self.permissions[found]

    def to_json(self) -> dict[str, Any]:
        """Lists of lists: what the cache stores."""
        return {
            "roles": [[r.id, r.name, r.guard_name, r.team_id] for r in self.roles.values()],
            "permissions": [[p.id, p.name, p.guard_name] for p in self.permissions.values()],
            "links": [
                [role_id, permission_id]
                for role_id, ids in self.role_permissions.items()
                for permission_id in sorted(ids)
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Snapshot:
        """The inverse of :meth:`to_json`."""
        return cls.build(
            (RoleRecord(int(r[0]), str(r[1]), str(r[2]), r[3]) for r in data["roles"]),
            (PermissionRecord(int(p[0]), str(p[1]), str(p[2])) for p in data["permissions"]),
            ((int(link[0]), int(link[1])) for link in data["links"]),
        )
