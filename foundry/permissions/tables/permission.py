"""``Permission``: a named ability such as ``articles.edit``, for one guard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self, cast

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column, relationship

from foundry.database import Model, TimestampsMixin
from foundry.permissions.tables.links import role_has_permissions

if TYPE_CHECKING:
    from foundry.permissions.tables.role import Role

__all__ = ["Permission"]


class Permission(TimestampsMixin, Model):
    """A permission such as ``articles.edit``, for one guard."""

    __tablename__ = "permissions"
    __table_args__ = (UniqueConstraint("name", "guard_name"),)

    fillable: ClassVar[frozenset[str]] = frozenset({"name", "guard_name"})

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    guard_name: Mapped[str] = mapped_column(String(255))

    roles: Mapped[list[Role]] = relationship(
        secondary=role_has_permissions,
        back_populates="permissions",
        lazy="raise",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"Permission(id={self.id!r}, name={self.name!r}, guard_name={self.guard_name!r})"

    @classmethod
    async def create(cls, session: AsyncSession, **attributes: Any) -> Self:
        """A new permission (``name``, optional ``guard_name``).

        Raises:
            PermissionAlreadyExists: the name is taken for that guard.
            WildcardPermissionInvalid: wildcards are on and the name is malformed.
        """
        from foundry.permissions import operations

        unknown = set(attributes) - {"name", "guard_name"}
        if unknown:
            raise TypeError(f"unknown permission attributes: {', '.join(sorted(unknown))}")
        made = await operations.create_permission(
            session, attributes["name"], attributes.get("guard_name")
        )
        return cast(Self, made)

    @classmethod
    async def find_by_name(
        cls, session: AsyncSession, name: str, guard_name: str | None = None
    ) -> Permission:
        """The permission; :class:`PermissionDoesNotExist` otherwise."""
        from foundry.permissions import operations

        return await operations.find_permission(session, name, guard_name)

    @classmethod
    async def find_or_create(
        cls, session: AsyncSession, name: str, guard_name: str | None = None
    ) -> Permission:
        """The permission, created when missing (never :class:`PermissionAlreadyExists`)."""
        from foundry.permissions import operations
        from foundry.permissions.errors import PermissionDoesNotExist

        try:
            return await operations.find_permission(session, name, guard_name)
        except PermissionDoesNotExist:
            return await operations.create_permission(session, name, guard_name)
