"""Laravel's ``Prunable`` and ``MassPrunable``: models that say which of their rows may go.

A model declares ``prunable()``, a ``select()`` of the rows to delete; ``artisan model:prune``
(or a scheduled call to :func:`prune_model`) deletes them::

    class Session(Prunable, Model):
        @classmethod
        def prunable(cls) -> Select[Self]:
            return select(cls).where(cls.last_seen < utcnow() - timedelta(days=30))

``Prunable`` loads the rows in chunks and deletes each through the session, so observers see
``deleting``/``deleted`` and ``pruning()`` runs first for clean-up (files, remote copies).
``MassPrunable`` deletes with one ``DELETE`` per chunk: faster, and no per-row hook runs. Either
way soft-deletable rows are deleted for good, and each chunk is committed on its own, so a large
prune neither holds one long transaction nor loses what it did when interrupted.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from sqlalchemy import Select, delete, func, inspect, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database.scopes import without_global_scopes
from foundry.database.soft_deletes import SOFT_DELETES_SCOPE

__all__ = ["MassPrunable", "Prunable", "count_prunable", "is_prunable", "prune_model"]


class Prunable:
    """Rows matching ``prunable()`` are deleted one by one (hooks and observers run)."""

    #: How many rows are loaded, deleted and committed at a time.
    prune_chunk_size: ClassVar[int] = 1000

    @classmethod
    def prunable(cls) -> Select[Self]:
        """The rows to delete. Every prunable model must say which."""
        raise TypeError(f"{cls.__qualname__} must define prunable() returning a select()")

    def pruning(self) -> None:
        """Called before the row is deleted (``Prunable`` only): tidy up what it owns."""


class MassPrunable(Prunable):
    """Rows matching ``prunable()`` are deleted with one ``DELETE`` per chunk, no hooks."""


def is_prunable(model: type[Any]) -> bool:
    """Whether ``model`` is a ``Prunable`` class that declares its own ``prunable()``."""
    if not isinstance(model, type) or not issubclass(model, Prunable):
        return False
    bases = (Prunable, MassPrunable)
    return any("prunable" in vars(klass) for klass in model.__mro__ if klass not in bases)


def _statement(model: type[Prunable]) -> Select[Any]:
    # As Laravel does: soft-deleted rows are among those to prune, so that scope is off.
    return without_global_scopes(model.prunable(), SOFT_DELETES_SCOPE)


async def count_prunable(session: AsyncSession, model: type[Prunable]) -> int:
    """How many rows ``prune_model`` would delete now (``model:prune --pretend``)."""
    counted = select(func.count()).select_from(_statement(model).subquery())
    return int(await session.scalar(counted) or 0)


async def prune_model(session: AsyncSession, model: type[Prunable]) -> int:
    """Delete the model's prunable rows in committed chunks; returns how many went."""
    size = max(1, model.prune_chunk_size)
    total = 0
    while True:
        if issubclass(model, MassPrunable):
            deleted = await _mass_delete_chunk(session, model, size)
        else:
            deleted = await _delete_chunk(session, model, size)
        await session.commit()
        total += deleted
        if deleted < size:
            return total


async def _delete_chunk(session: AsyncSession, model: type[Prunable], size: int) -> int:
    rows = list((await session.scalars(_statement(model).limit(size))).all())
    for row in rows:
        row.pruning()
        await session.delete(row)
    await session.flush()
    return len(rows)


async def _mass_delete_chunk(session: AsyncSession, model: type[Prunable], size: int) -> int:
    keys = inspect(model).primary_key
    # The keys first, then one DELETE: neither PostgreSQL nor SQLite takes LIMIT on a DELETE.
    chosen = _statement(model).with_only_columns(*keys).limit(size)
    ids = list((await session.execute(chosen)).all())
    if not ids:
        return 0
    if len(keys) == 1:
        condition = keys[0].in_([row[0] for row in ids])
    else:
        condition = tuple_(*keys).in_([tuple(row) for row in ids])
    await session.execute(
        delete(model).where(condition).execution_options(synchronize_session=False)
    )
    return len(ids)
