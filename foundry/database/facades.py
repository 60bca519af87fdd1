"""``Session`` (the current scope's unit of work, the request's or the job's) and ``Observers``.

Model-level conveniences that run without a session argument (``user.assign_role("admin")``,
``await UserFactory.create()``, after-commit hooks) reach the session through it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database.observers import ObserverRegistry
from foundry.kernel.facades import facade, facade_resolved, facade_root

__all__ = ["Observers", "Session", "observe", "open_session", "scope_session"]

#: The current scope's ``AsyncSession`` (opened on first use).
Session: AsyncSession = facade(AsyncSession)
#: The application's observer registry.
Observers: ObserverRegistry = facade(ObserverRegistry)


def observe(model: type[Any], *observers: type[Any]) -> None:
    """Watch ``model`` (and its subclasses) with ``observers`` on the running application."""
    Observers.observe(model, *observers)


def scope_session(session: AsyncSession | None = None) -> AsyncSession:
    """``session`` when given, else the current scope's (opening it if need be)."""
    return session if session is not None else facade_root(Session)


def open_session() -> AsyncSession | None:
    """The current scope's session if something already opened it; never opens one."""
    return facade_resolved(Session)
