"""``Role``: a named set of permissions for one guard (and, with teams, one team or all)."""

from __future__ import annotations

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
        return cast(Self, role)

    @classmethod
    async def find_by_name(
        cls, session: AsyncSession, name: str, guard_name: str | None = None
    ) -> Role:
        """The role, its permissions loaded; :class:`RoleDoesNotExist` otherwise."""
        from foundry.permissions import operations

        return await operations.find_role(session, name, guard_name)

    @classmethod
    async def find_or_create(
        cls, session: AsyncSession, name: str, guard_name: str | None = None
    ) -> Role:
        """The role, created when missing (never :class:`RoleAlreadyExists`)."""
        from foundry.permissions import operations
        from foundry.permissions.errors import RoleDoesNotExist

        try:
            return await operations.find_role(session, name, guard_name)
        except RoleDoesNotExist:
            return await operations.create_role(session, name, guard_name)

    async def give_permission_to(
        self, *permissions: PermissionLike, session: AsyncSession | None = None
    ) -> Self:
        """Link the permissions (names, ids or models of this role's guard); twice is a no-op."""
        from foundry.permissions import operations

        db = operations.scope_session(session)
        found = await operations.resolve_permissions(db, permissions, self.guard_name)
        await operations.set_role_permissions(db, self, add=found)
        return self

    async def revoke_permission_to(
        self, *permissions: PermissionLike, session: AsyncSession | None = None
    ) -> Self:
        """Unlink the permissions."""
        from foundry.permissions import operations

        db = operations.scope_session(session)
        found = await operations.resolve_permissions(db, permissions, self.guard_name)
        await operations.set_role_permissions(db, self, remove=found)
        return self

    async def sync_permissions(
        self, *permissions: PermissionLike, session: AsyncSession | None = None
    ) -> Self:
        """Make the role's permissions exactly these."""
        from foundry.permissions import operations

        db = operations.scope_session(session)
        found = await operations.resolve_permissions(db, permissions, self.guard_name)
        await operations.set_role_permissions(db, self, add=found, replace=True)
        return self

    def has_permission_to(self, permission: str | Permission) -> bool:
        """Whether the role holds ``permission`` (with wildcards when they are on).

        Reads the loaded ``permissions`` (``find_by_name`` and ``create`` load them; after a
        plain query use ``selectinload(Role.permissions)``).
        """
        from foundry.permissions import operations, wildcard
        from foundry.permissions.errors import PermissionsNotLoaded

        if "permissions" not in self.__dict__:
            raise PermissionsNotLoaded(
                "Role.permissions is not loaded: use Role.find_by_name or selectinload"
            )
        name = permission if isinstance(permission, str) else permission.name
        names = {p.name for p in self.permissions}
        if name in names:
            return True
        if operations.registry().settings.wildcard:
            return any(wildcard.implies(held, name) for held in names)
        return False
