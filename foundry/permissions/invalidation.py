"""Every committed change to roles, permissions or their links invalidates the registry cache.

Hooked on the session rather than on the service methods, so a change made any way a session can
make it counts: the admin API, a seeder, a shell (``await session.delete(permission)``, renaming
a role, ``role.permissions.append(...)``) or a bulk statement (``delete(Permission)``,
``insert(role_has_permissions)``). A flush or statement touching them marks the session; once its
transaction commits every process drops its copy (:meth:`PermissionRegistry.note_change`), and
a rollback drops nothing.

Links of holders (``model_has_roles``, ``model_has_permissions``) are cached per holder. A write
that names its holder (``HOLDER_OPTION``, as ``HasRoles`` does) retires that holder's entry once
committed; any other write to the link tables (a bulk delete, raw ``insert(model_has_roles)``)
retires every holder's, through a new registry version. Deleting a holder retires its entry too.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import async_session
from sqlalchemy.orm import (
    Mapper,
    ORMExecuteState,
    Session,
    SessionTransaction,
    UOWTransaction,
    object_session,
)

from foundry.database.observers import OBSERVERS_KEY, SCOPE_KEY, ObserverRegistry
from foundry.database.session import HookedSession
from foundry.kernel.container import BindingResolutionError, Container, current_container
from foundry.permissions.has_roles import HasRoles
from foundry.permissions.registry import HOLDER_OPTION, PermissionRegistry, transaction_ended
from foundry.permissions.tables import Permission, Role

__all__ = ["CACHED_TABLES", "LINK_TABLE_NAMES"]

#: The tables the cached registry is built from.
CACHED_TABLES = frozenset({"roles", "permissions", "role_has_permissions"})
#: The tables the cached holder links are read from.
LINK_TABLE_NAMES = frozenset({"model_has_roles", "model_has_permissions"})


def _container(session: Session) -> Container | None:
    # The session's own application first: two applications may share a process (tests, or a
    # command driving another app); the current one is the fallback for a session made by hand.
    scope = session.info.get(SCOPE_KEY)
    if isinstance(scope, Container):
        return scope
    observers = session.info.get(OBSERVERS_KEY)
    if isinstance(observers, ObserverRegistry):
        return observers.container
    try:
        return current_container()
    except BindingResolutionError:
        return None


def _changed(session: Session, holder: tuple[str, int] | None = None) -> None:
    container = _container(session)
    if container is None or not container.root.bound(PermissionRegistry):
        return  # no application with permissions: no cache to invalidate
    wrapper = async_session(session)
    if wrapper is None:
        return
    registry = container.make(PermissionRegistry)
    if holder is None:
        registry.note_change(wrapper)
    else:
        registry.note_holder_change(wrapper, *holder)


@event.listens_for(HookedSession, "after_flush")
def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    # ``new``/``dirty``/``deleted`` still hold what this flush wrote; a role whose permissions
    # collection changed is dirty too.
    touched = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(target, (Role, Permission)) for target in touched):
        _changed(session)


@event.listens_for(HookedSession, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table: Any = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in CACHED_TABLES:
        _changed(state.session)
    elif name in LINK_TABLE_NAMES:
        holder = state.execution_options.get(HOLDER_OPTION)
        _changed(state.session, holder if isinstance(holder, tuple) else None)


@event.listens_for(HasRoles, "after_delete", propagate=True)
def _holder_deleted(mapper: Mapper[Any], connection: Connection, target: HasRoles) -> None:
    # Its links are deleted on the connection (holder_links), which no session event sees.
    session = object_session(target)
    key = getattr(target, "id", None)
    if isinstance(session, HookedSession) and isinstance(key, int):
        _changed(session, (target.morph_type(), key))


@event.listens_for(HookedSession, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        transaction_ended(session.info)
