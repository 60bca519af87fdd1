"""Entries held in the session until its transaction needs them: one ``INSERT`` for a flush's
worth, or for many flushes.

A flush's entries are not written at once: a unit of work that flushes a hundred times would
pay a hundred extra statements. They are written, all in one ``INSERT``, when the session next
runs a statement (so its own queries see them, as autoflush makes them see its objects) or
commits (or releases a savepoint), always inside the transaction that made them:

- a rollback drops what it held; entries of a savepoint that rolls back go with it;
- entries an enclosing transaction held, written while a savepoint was open, are held again if
  that savepoint rolls back (the rollback removed them from the database, not from the outer
  transaction).

Each held entry is tagged with the savepoint that was innermost when it was flushed (``None``:
the session's own transaction).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from foundry.activity.models import Activity

__all__ = ["hold", "write_held"]

_HELD = "foundry_activity_held"
_WRITTEN = "foundry_activity_written"
_RELEASED = "foundry_activity_released"

Tag = SessionTransaction | None
Held = list[tuple[Tag, dict[str, Any]]]


def _held(session: Session) -> Held:
    found: Held = session.info.setdefault(_HELD, [])
    return found


def _written(session: Session) -> dict[SessionTransaction, Held]:
    found: dict[SessionTransaction, Held] = session.info.setdefault(_WRITTEN, {})
    return found


def hold(session: Session, rows: list[dict[str, Any]]) -> None:
    """Hold ``rows`` (``activity_log`` values) for the session's current transaction."""
    tag = session.get_nested_transaction()
    _held(session).extend((tag, row) for row in rows)


def write_held(session: Session) -> None:
    """Write every held entry now, in one ``INSERT`` on the session's connection."""
    held = session.info.get(_HELD)
    if not held:
        return
    session.info[_HELD] = []
    innermost = session.get_nested_transaction()
    if innermost is not None:
        # Entries of enclosing transactions now live inside this savepoint: remember them, so
        # its rollback can hold them again.
        outer = [(tag, row) for tag, row in held if tag is not innermost]
        if outer:
            _written(session).setdefault(innermost, []).extend(outer)
    session.connection().execute(insert(Activity), [row for _, row in held])


@event.listens_for(Session, "do_orm_execute")
def _before_statement(state: ORMExecuteState) -> None:
    # The session's own queries see its entries (the session has autoflushed by now).
    if state.session.info.get(_HELD):
        write_held(state.session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    # The commit (or savepoint release) flushes after this hook: flush first, so the entries of
    # that flush are written in the transaction too.
    if session.new or session.dirty or session.deleted:
        session.flush()
    write_held(session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    nested = session.get_nested_transaction()
    if nested is not None:  # a savepoint was released, not rolled back
        session.info.setdefault(_RELEASED, set()).add(nested)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if not (_HELD in session.info or _WRITTEN in session.info):
        return
    if transaction.nested:
        _savepoint_ended(session, transaction)
    elif transaction.parent is None:
        # The session's transaction ended: committed entries were written, the rest rolled back.
        for key in (_HELD, _WRITTEN, _RELEASED):
            session.info.pop(key, None)


def _savepoint_ended(session: Session, savepoint: SessionTransaction) -> None:
    released: set[SessionTransaction] = session.info.get(_RELEASED, set())
    parent = savepoint.parent
    heir = parent if parent is not None and parent.nested else None
    written = _written(session).pop(savepoint, [])
    if savepoint in released:
        released.discard(savepoint)
        # Its entries now belong to the enclosing transaction.
        session.info[_HELD] = [
            (heir if tag is savepoint else tag, row) for tag, row in _held(session)
        ]
        if heir is not None and written:
            _written(session).setdefault(heir, []).extend(written)
        return
    # Rolled back: its own entries are gone; enclosing ones it had written are held again.
    session.info[_HELD] = [(tag, row) for tag, row in written if tag is not savepoint] + [
        (tag, row) for tag, row in _held(session) if tag is not savepoint
    ]
