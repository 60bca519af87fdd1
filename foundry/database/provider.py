"""Registers the database: a ``DatabaseManager`` per app, an ``AsyncSession`` (and a
``LazySession`` handle on it) per scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.config.database import DatabaseSettings
from foundry.database.lazy_session import LazySession
from foundry.database.manager import DatabaseManager
from foundry.database.model_loading import load_models
from foundry.database.observers import SCOPE_KEY, ObserverRegistry
from foundry.kernel.providers import ServiceProvider

if TYPE_CHECKING:
    from foundry.kernel.application import Application
    from foundry.kernel.container import Container

__all__ = ["DatabaseServiceProvider"]


def _manager(container: Container) -> DatabaseManager:
    return DatabaseManager(container.make(DatabaseSettings), container.make(ObserverRegistry))


def _open_session(container: Container) -> AsyncSession:
    session = container.make(DatabaseManager).session()
    # ``container`` is the scope (request or job): observers of this session are built there.
    session.sync_session.info[SCOPE_KEY] = container
    return session


async def _close_session(session: AsyncSession) -> None:
    # Closing rolls back whatever the scope left uncommitted, and returns the connection. A
    # session that never began a transaction nor holds an object has nothing to give back, and
    # closing it would still cost a greenlet round trip (handlers that resolve it and never
    # query, such as the token endpoint's client_credentials path).
    if not session.in_transaction() and not session.identity_map and not session.new:
        return
    await session.close()


class DatabaseServiceProvider(ServiceProvider):
    """``DatabaseManager`` and the ``ObserverRegistry`` as singletons; ``AsyncSession`` scoped to
    each request or job.

    The session is built the first time something in the scope asks for it, so requests that
    never touch the database never check out a connection.
    """

    def register(self, container: Container) -> None:
        container.singleton(ObserverRegistry)
        container.singleton(DatabaseManager, _manager)
        container.scoped(AsyncSession, _open_session, on_close=_close_session)
        # ``c`` is the scope resolving the handle, so the session it opens is that scope's.
        container.scoped(LazySession, lambda c: LazySession(lambda: c.make(AsyncSession)))

    def boot(self, app: Application) -> None:
        container = app.container
        # Every table known before the first write: a foreign key to a model nothing imported
        # yet (the user, from ``artisan oauth:client``) would not resolve.
        load_models(container.make(DatabaseSettings))

        async def dispose() -> None:
            manager = container.resolved(DatabaseManager)
            if manager is not None:
                await manager.dispose()

        app.on_shutdown(dispose)
