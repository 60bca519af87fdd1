"""A notifiable's stored notifications and push subscriptions go with it: deleting a user
deletes its ``notifications`` and ``push_subscriptions`` rows.

Both tables are polymorphic (``notifiable_type`` names the owner's table, ``notifiable_id`` its
key as text), so no foreign key can cascade from ``users``: without this, the rows outlived their
user, and on SQLite (which reuses the highest id) the next user created read the inbox of the
deleted one and got their pushes.

Two hooks, for every mapped class with ``Notifiable``, on every database (as
``foundry.permissions.holder_links`` does for role links):

- ``after_delete`` of an object (``session.delete(user)``, ``await user.force_delete(session)``)
  deletes its rows in the same transaction;
- a bulk ``delete(User).where(...)`` through a session first deletes the rows of the owners it is
  about to delete.

A soft delete keeps them: a restored user has their inbox and browsers back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Delete, delete, event, select
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from foundry.database.scopes import without_global_scopes
from foundry.notifications.models import DatabaseNotification, notifiable_key
from foundry.notifications.notifiable import Notifiable
from foundry.notifications.push.subscriptions import PushRecipient
from foundry.notifications.tables.push_subscription import PushSubscription

__all__ = ["owned_rows_statements"]

#: Keys per ``IN (...)`` list: well under SQLite's and asyncpg's bound-parameter limits.
_CHUNK = 500


def owned_rows_statements(
    table: str, notification_keys: Sequence[str], push_keys: Sequence[str]
) -> list[Delete]:
    """The DELETEs removing the stored notifications and push subscriptions of the owners of
    ``table`` with these keys (``notifiable_key`` for notifications, ``PushRecipient`` keys
    for subscriptions; they differ only for composite primary keys)."""
    statements: list[Delete] = []
    for start in range(0, len(notification_keys), _CHUNK):
        statements.append(
            delete(DatabaseNotification).where(
                DatabaseNotification.notifiable_type == table,
                DatabaseNotification.notifiable_id.in_(notification_keys[start : start + _CHUNK]),
            )
        )
    for start in range(0, len(push_keys), _CHUNK):
        statements.append(
            delete(PushSubscription).where(
                PushSubscription.notifiable_type == table,
                PushSubscription.notifiable_id.in_(push_keys[start : start + _CHUNK]),
            )
        )
    return statements


@event.listens_for(Notifiable, "after_delete", propagate=True)
def _delete_rows_of(mapper: Mapper[Any], connection: Any, target: Notifiable) -> None:
    try:
        table, key = notifiable_key(target)
    except TypeError:  # never flushed: nothing can point at it
        return
    recipient = PushRecipient.of(target)
    push_keys = [recipient.notifiable_id] if recipient is not None else []
    for statement in owned_rows_statements(table, [key], push_keys):
        connection.execute(statement)


@event.listens_for(Session, "do_orm_execute")
def _delete_rows_in_bulk(state: ORMExecuteState) -> None:
    if not state.is_delete:
        return
    mapper = state.bind_mapper
    if mapper is None or not issubclass(mapper.class_, Notifiable):
        return
    # Only a statement deleting from the owner's own table deletes owners (ours delete from
    # notifications and push_subscriptions, which SQLAlchemy may bind to another mapper).
    table = str(getattr(mapper.local_table, "name", ""))
    if getattr(getattr(state.statement, "table", None), "name", None) != table:
        return
    keys: list[ColumnElement[Any]] = list(mapper.primary_key)
    id_column = mapper.columns.get("id")
    doomed = select(*keys, *([id_column] if id_column is not None else []))
    criteria = getattr(state.statement, "whereclause", None)
    if criteria is not None:
        doomed = doomed.where(criteria)
    # The keys are read and turned into text in Python, as the channels wrote them: a SQL cast
    # would spell a UUID differently on SQLite. Soft-deleted owners are among the doomed too.
    rows = state.session.execute(without_global_scopes(doomed)).all()
    notification_keys = [":".join(str(part) for part in row[: len(keys)]) for row in rows]
    push_keys = [str(row[-1]) for row in rows] if id_column is not None else []
    for statement in owned_rows_statements(table, notification_keys, push_keys):
        state.session.execute(statement)
