"""``SoftDeletes``: soft-deleted rows are hidden from every query unless asked for.

::

    class Post(SoftDeletes, Model):
        ...

    post.soft_delete(); await session.commit()        # the row stays, deleted_at is set
    await session.get(Post, post.id)                   # None: hidden by the global scope
    await session.scalars(Post.with_trashed())         # every row
    await session.scalars(Post.only_trashed())         # only soft-deleted rows
    post.restore(); await session.commit()
    await post.force_delete(session)                   # really DELETE

:class:`~foundry.database.base.SoftDeletesMixin` (the column and ``soft_delete()``/
``restore()`` only, no scope) stays available for models that want to filter by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Self

from sqlalchemy import Select, select
from sqlalchemy.sql import ColumnElement

from foundry.database.base import SoftDeletesMixin
from foundry.database.scopes import GlobalScope, without_global_scopes

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["SOFT_DELETES_SCOPE", "SoftDeletes"]

#: The name of the global scope that hides soft-deleted rows.
SOFT_DELETES_SCOPE = "soft_deletes"


def _not_trashed(cls: Any) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = cls.deleted_at.is_(None)
    return condition


class SoftDeletes(SoftDeletesMixin):
    """``deleted_at`` plus a global scope hiding soft-deleted rows from ORM selects."""

    global_scopes: ClassVar[Mapping[str, GlobalScope]] = MappingProxyType(
        {SOFT_DELETES_SCOPE: _not_trashed}
    )

    @classmethod
    def with_trashed(cls, stmt: Select[Self] | None = None) -> Select[Self]:
        """``stmt`` (default ``select(cls)``) including soft-deleted rows."""
        return without_global_scopes(select(cls) if stmt is None else stmt, SOFT_DELETES_SCOPE)

    @classmethod
    def only_trashed(cls, stmt: Select[Self] | None = None) -> Select[Self]:
        """``stmt`` (default ``select(cls)``) narrowed to soft-deleted rows."""
        return cls.with_trashed(stmt).where(cls.deleted_at.is_not(None))

    async def force_delete(self, session: AsyncSession) -> None:
        """Delete the row for good (observers see ``deleting``/``deleted``) and flush."""
        await session.delete(self)
        await session.flush()
