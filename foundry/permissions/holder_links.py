"""A holder's role and permission links go with it: deleting a user deletes its links.

``model_has_roles`` and ``model_has_permissions`` are polymorphic (``model_type`` names the
holder's table), so no foreign key can cascade from ``users``: without this, the links outlived
their user, and on SQLite (which reuses the highest id) the next user created inherited them.

Two hooks, for every mapped class with ``HasRoles``, on every database:

- ``after_delete`` of an object (``session.delete(user)``, ``await user.force_delete(session)``)
  deletes its links in the same transaction;
- a bulk ``delete(User).where(...)`` through a session first deletes the links of the rows it is
  about to delete (one statement per link table).

A soft delete keeps the links (Spatie does the same): a restored user has its roles back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, delete, event, select
from sqlalchemy.orm import Mapper, ORMExecuteState, Session

from foundry.permissions.has_roles import HasRoles
from foundry.permissions.tables import model_has_permissions, model_has_roles

__all__ = ["LINK_TABLES"]

#: The tables linking a holder to its roles and direct permissions.
LINK_TABLES: tuple[Table, ...] = (model_has_roles, model_has_permissions)


@event.listens_for(HasRoles, "after_delete", propagate=True)
def _delete_links_of(mapper: Mapper[Any], connection: Connection, target: HasRoles) -> None:
    key = getattr(target, "id", None)
    if key is None:
        return
    for table in LINK_TABLES:
        connection.execute(
            delete(table).where(table.c.model_type == target.morph_type(), table.c.model_id == key)
        )


@event.listens_for(Session, "do_orm_execute")
def _delete_links_in_bulk(state: ORMExecuteState) -> None:
    if not state.is_delete:
        return
    mapper = state.bind_mapper
    if mapper is None or not issubclass(mapper.class_, HasRoles):
        return
    # Our own link deletes name the holder in their subquery, so SQLAlchemy binds them to its
    # mapper too: only a statement deleting from the holder's own table is a deletion of holders.
    holder: Any = mapper.class_
    table: Any = getattr(state.statement, "table", None)
    if getattr(table, "name", None) != holder.__tablename__:
        return
    doomed = select(holder.id)
    criteria = getattr(state.statement, "whereclause", None)
    if criteria is not None:
        doomed = doomed.where(criteria)
    for table in LINK_TABLES:
        state.session.execute(
            delete(table).where(
                table.c.model_type == holder.morph_type(), table.c.model_id.in_(doomed)
            )
        )
