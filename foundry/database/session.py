"""``DatabaseSession``: an ``AsyncSession`` that holds side effects until its transaction commits.

A callback handed to :meth:`DatabaseSession.defer_until_commit` while a unit of work is open is
kept with the transaction (or savepoint) it was raised in. When a savepoint rolls back, its
callbacks go; when it is released, they move to the enclosing transaction. When the outermost
transaction commits, they run, in order, after ``commit()`` has finished, so a callback may
use the session again. When it rolls back or the session closes, they are dropped.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, AsyncSessionTransaction
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.orm import SessionTransactionOrigin as Origin
from sqlalchemy.orm import UOWTransaction

__all__ = ["AfterCommitCallback", "DatabaseSession", "HookedSession"]

logger = logging.getLogger("foundry.database")

#: A side effect to release after commit: a plain function, or one returning an awaitable.
AfterCommitCallback = Callable[[], Awaitable[object] | None]


class _CommitHooks:
    """Per-session bookkeeping; ``None`` as a key stands for the outermost transaction."""

    __slots__ = ("pending", "ready", "released", "wrote")

    def __init__(self) -> None:
        self.pending: list[tuple[SessionTransaction | None, AfterCommitCallback]] = []
        self.ready: list[AfterCommitCallback] = []
        self.released: set[SessionTransaction] = set()
        self.wrote = False

    def reset(self) -> None:
        self.pending.clear()
        self.released.clear()
        self.wrote = False


class HookedSession(Session):
    """The synchronous session under :class:`DatabaseSession`, carrying its commit hooks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commit_hooks = _CommitHooks()


@event.listens_for(HookedSession, "after_commit")
def _after_commit(session: Session) -> None:
    hooks = _hooks(session)
    nested = session.get_nested_transaction()
    if nested is not None:
        # A savepoint was released: its callbacks wait for the enclosing transaction's fate,
        # which is decided in after_transaction_end once the savepoint has closed.
        hooks.released.add(nested)
        return
    hooks.ready.extend(callback for _, callback in hooks.pending)
    hooks.pending.clear()


@event.listens_for(HookedSession, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    hooks = _hooks(session)
    if transaction.nested:
        parent = transaction.parent
        heir = parent if parent is not None and parent.nested else None
        if transaction in hooks.released:
            hooks.released.discard(transaction)
            hooks.pending = [(heir if key is transaction else key, cb) for key, cb in hooks.pending]
        else:
            hooks.pending = [(key, cb) for key, cb in hooks.pending if key is not transaction]
    elif transaction.parent is None:
        # The outermost transaction ended: committed callbacks already moved to ``ready``;
        # whatever is still pending belonged to work that was rolled back.
        hooks.reset()


@event.listens_for(HookedSession, "after_flush")
def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    _hooks(session).wrote = True


@event.listens_for(HookedSession, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _hooks(state.session).wrote = True


def _hooks(session: Session) -> _CommitHooks:
    assert isinstance(session, HookedSession)
    return session.commit_hooks


class DatabaseSession(AsyncSession):
    """The ``AsyncSession`` Foundry hands out: one per request or job scope."""

    sync_session_class = HookedSession

    @property
    def _commit_hooks(self) -> _CommitHooks:
        return _hooks(self.sync_session)

    def in_unit_of_work(self) -> bool:
        """Whether work is under way that a commit would save and a rollback would discard.

        True inside ``begin()`` or ``begin_nested()``, and once anything was added, changed,
        deleted or written in the current transaction. A transaction SQLAlchemy opened only to
        read does not count: nothing may commit it, and a side effect held for it would be lost.
        """
        sync = self.sync_session
        if sync.in_nested_transaction():
            return True
        transaction = sync.get_transaction()
        if transaction is not None and transaction.origin is Origin.BEGIN:
            return True
        if self._commit_hooks.wrote:
            return True
        return bool(sync.new or sync.deleted or sync.dirty)

    def defer_until_commit(self, callback: AfterCommitCallback) -> bool:
        """Hold ``callback`` until the current unit of work commits; False if there is none."""
        if not self.in_unit_of_work():
            return False
        self._commit_hooks.pending.append((self.sync_session.get_nested_transaction(), callback))
        return True

    async def commit(self) -> None:
        """Commit, then run the callbacks held for this transaction."""
        await super().commit()
        await self._release_committed()

    def begin(self) -> AsyncSessionTransaction:
        """``async with session.begin():`` that runs the held callbacks once it commits."""
        return _Transaction(self)

    async def close(self) -> None:
        """Close the session; callbacks held for uncommitted work are dropped."""
        await super().close()
        self._commit_hooks.reset()

    async def _release_committed(self) -> None:
        hooks = self._commit_hooks
        first_error: Exception | None = None
        while hooks.ready:
            callbacks, hooks.ready = hooks.ready, []
            for callback in callbacks:
                try:
                    result = callback()
                    if inspect.isawaitable(result):
                        await result
                except Exception as exc:  # one failure must not cancel the other side effects
                    if first_error is None:
                        first_error = exc
                    else:
                        logger.exception("after-commit callback failed", exc_info=exc)
        if first_error is not None:
            raise first_error


class _Transaction(AsyncSessionTransaction):
    __slots__ = ()

    async def commit(self) -> None:
        await super().commit()
        await self._release()

    async def __aexit__(self, type_: Any, value: Any, traceback: Any) -> None:
        await super().__aexit__(type_, value, traceback)
        if type_ is None:
            await self._release()

    async def _release(self) -> None:
        session = self.session
        if isinstance(session, DatabaseSession) and not self.nested:
            await session._release_committed()
