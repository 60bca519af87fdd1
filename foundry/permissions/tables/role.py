"""``Role``: a named set of permissions for one guard (and, with teams, one team or all)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Self, cast

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.database import Model, TimestampsMixin
from foundry.permissions.tables.links import role_has_permissions

if TYPE_CHECKING:
    from foundry.permissions.operations import PermissionLike
    from foundry.permissions.tables.permission import Permission

__all__ = ["Role"]


class Role(TimestampsMixin, Model):
    """A named set of permissions for one guard (and, with teams, one team or every team)."""

    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("team_id", "name", "guard_name"),)

    fillable: ClassVar[frozenset[str]] = frozenset({"name", "guard_name", "team_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int | None] = mapped_column(default=None, index=True)
    name: Mapped[str] = mapped_column(String(255))
    guard_name: Mapped[str] = mapped_column(String(255))

    permissions: Mapped[list[Permission]] = relationship(
        secondary=role_has_permissions,
        back_populates="roles",
        lazy="raise",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"Role(id={self.id!r}, name={self.name!r}, guard_name={self.guard_name!r})"

    # The methods import foundry.permissions.operations when called: it imports this module.

    @classmethod
    async def create(cls, session: AsyncSession, **attributes: Any) -> Self:
        """A new role (``name``, optional ``guard_name``, ``team_id``).

        Raises:
            RoleAlreadyExists: the name is taken for that guard (and team).
        """
        from foundry.permissions import operations

        unknown = set(attributes) - {"name", "guard_name", "team_id"}
        if unknown:
            raise TypeError(f"unknown role attributes: {', '.join(sorted(unknown))}")
        role = await operations.create_role(
            session, attributes["name"], attributes.get("guard_name"), attributes.get("team_id")
        )
        await operations.attach_snapshot(session, role)
        return cast(Self, role)

    @classmethod
    async def find_by_name(
        cls, session: AsyncSession, name: str, guard_name: str | None = None
    ) -> Role:
        """The role, its permissions loaded; :class:`RoleDoesNotExist` otherwise."""
        from foundry.permissions import operations

        role = await operations.find_role(session, name, guard_name)
        return await operations.attach_snapshot(session, role)

    @classmethod
    async def find_or_create(
        cls, session: AsyncSession, name: str, guard_name: str | None = None
    ) -> Role:
        """The role, created when missing (never :class:`RoleAlreadyExists`)."""
        from foundry.permissions import operations
        from foundry.permissions.errors import RoleDoesNotExist

        try:
            role = await operations.find_role(session, name, guard_name)
        except RoleDoesNotExist:
            role = await operations.create_role(session, name, guard_name)
        return await operations.attach_snapshot(session, role)

    async def load_permissions(self, session: AsyncSession | None = None) -> Self:
        """Load ``permissions`` and the registry snapshot the checks read (one query, cached).

        ``find_by_name``, ``find_or_create``, ``create`` and the permission methods do it.
        """
        from foundry.permissions import operations

        db = operations.scope_session(session)
        if "permissions" not in self.__dict__:
            await db.refresh(self, ["permissions"])
        await operations.attach_snapshot(db, self)
        return self

    async def give_permission_to(
        self,
        *permissions: PermissionLike | Iterable[PermissionLike],
        session: AsyncSession | None = None,
    ) -> Self:
        """Link the permissions (names, ids, models or lists of them, of this role's guard).

        Giving one twice is a no-op.
        """
        await self._write(session, permissions, "add")
        return self

    async def revoke_permission_to(
        self,
        *permissions: PermissionLike | Iterable[PermissionLike],
        session: AsyncSession | None = None,
    ) -> Self:
        """Unlink the permissions."""
        await self._write(session, permissions, "remove")
        return self

    async def sync_permissions(
        self,
        *permissions: PermissionLike | Iterable[PermissionLike],
        session: AsyncSession | None = None,
    ) -> Self:
        """Make the role's permissions exactly these (``sync_permissions([])`` removes all)."""
        await self._write(session, permissions, "replace")
        return self

    async def _write(self, session: AsyncSession | None, items: Iterable[Any], mode: str) -> None:
        from foundry.permissions import operations
        from foundry.permissions.checks import flatten_names

        db = operations.scope_session(session)
        found = await operations.resolve_permissions(db, flatten_names(items), self.guard_name)
        if mode == "remove":
            await operations.set_role_permissions(db, self, remove=found)
        else:
            await operations.set_role_permissions(db, self, add=found, replace=mode == "replace")
        await operations.attach_snapshot(db, self)

    def has_permission_to(self, permission: PermissionLike, guard: str | None = None) -> bool:
        """Whether the role holds ``permission`` of ``guard`` (default: the role's guard).

        The same answers as ``user.has_permission_to``: a permission of another guard is not
        held, and an unknown name raises :class:`PermissionDoesNotExist` (with wildcards on, a
        name is a pattern to match and need not exist). Reads the loaded ``permissions`` and the
        registry snapshot (``find_by_name``, ``create`` and ``load_permissions`` load both).
        """
        from foundry.permissions import operations, wildcard
        from foundry.permissions.errors import PermissionDoesNotExist, PermissionsNotLoaded
        from foundry.permissions.tables.permission import Permission

        if "permissions" not in self.__dict__:
            raise PermissionsNotLoaded(
                "Role.permissions is not loaded: await role.load_permissions(session) first"
            )
        wanted = guard or self.guard_name
        held = [p for p in self.permissions if p.guard_name == wanted]
        snapshot = operations.role_snapshot(self)
        if isinstance(permission, Permission):
            if permission.guard_name != wanted:
                return False
            name = permission.name
            if any(p.id == permission.id for p in held):
                return True
        elif isinstance(permission, int):
            if any(p.id == permission for p in held):
                return True
            record = snapshot.permissions.get(permission)
            if record is None:
                raise PermissionDoesNotExist(f"There is no permission with id `{permission}`.")
            if record.guard_name != wanted:
                return False
            name = record.name
        else:
            name = permission
            if any(p.name == name for p in held):
                return True
        uses_wildcards = operations.registry().settings.wildcard
        if uses_wildcards and any(wildcard.implies(p.name, name) for p in held):
            return True
        if uses_wildcards or snapshot.find_permission(name, wanted) is not None:
            return False
        raise PermissionDoesNotExist.named(name, wanted)
