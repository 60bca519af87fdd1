"""``DatabaseManager``: the application's engine and the factory of its sessions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from foundry.config.database import DatabaseSettings
from foundry.database.engine import create_engine
from foundry.database.observers import OBSERVERS_KEY, ObserverRegistry
from foundry.database.session import DatabaseSession

__all__ = ["DatabaseManager", "DatabaseUnavailableError"]


class DatabaseUnavailableError(ConnectionError):
    """The database did not answer ``SELECT 1`` (down, unreachable, or too slow)."""


class DatabaseManager:
    """Bound as a singleton: one engine (opened on first use) and a new session per scope.

    Tests call :meth:`use_connection` to make every session join one connection whose outer
    transaction they roll back, so the services and HTTP requests of a test share its data and
    leave nothing behind.
    """

    def __init__(
        self, settings: DatabaseSettings, observers: ObserverRegistry | None = None
    ) -> None:
        self.settings = settings
        #: Whose observers watch the flushes of the sessions this manager opens.
        self.observers = observers
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[DatabaseSession] | None = None
        self._connection: AsyncConnection | None = None

    @property
    def url(self) -> str:
        """The database URL, with its async driver."""
        return self.settings.url

    @property
    def engine(self) -> AsyncEngine:
        """The shared engine, created on first use (no connection is opened until needed)."""
        if self._engine is None:
            self._engine = create_engine(self.settings)
        return self._engine

    @property
    def connection(self) -> AsyncConnection | None:
        """The connection every session joins, when a test has set one."""
        return self._connection

    def use_connection(self, connection: AsyncConnection | None) -> None:
        """Make every new session join ``connection``; ``None`` goes back to the engine.

        Sessions then work inside savepoints of the connection's transaction, so code under test
        may commit while the test's outer transaction still rolls everything back. Requests of
        one test share the connection, so run them one after another, not concurrently.
        """
        self._connection = connection

    def session(self) -> AsyncSession:
        """A new session (``expire_on_commit=False``: loaded objects stay readable after commit)."""
        session: AsyncSession
        if self._connection is not None:
            session = DatabaseSession(
                bind=self._connection,
                join_transaction_mode="create_savepoint",
                expire_on_commit=False,
            )
        else:
            if self._sessions is None:
                self._sessions = async_sessionmaker(
                    self.engine, class_=DatabaseSession, expire_on_commit=False
                )
            session = self._sessions()
        if self.observers is not None:
            session.sync_session.info[OBSERVERS_KEY] = self.observers
        return session

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """A connection in a transaction that commits on exit (rolls back on an error).

        For Core work outside any session (the queue's tables). Under :meth:`use_connection` it is
        a savepoint of the test's connection, so the work stays inside the test's transaction.
        """
        shared = self._connection
        if shared is not None:
            async with shared.begin_nested():
                yield shared
            return
        async with self.engine.begin() as connection:
            yield connection

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        """A connection for reads (the test's connection under :meth:`use_connection`)."""
        shared = self._connection
        if shared is not None:
            yield shared
            return
        async with self.engine.connect() as connection:
            yield connection

    async def ping(self, timeout: float | None = None) -> None:
        """Run ``SELECT 1`` on a fresh checkout; raises :class:`DatabaseUnavailableError`."""
        limit = self.settings.ping_timeout if timeout is None else timeout
        try:
            async with asyncio.timeout(limit):
                async with self.engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except TimeoutError as exc:
            raise DatabaseUnavailableError(f"no answer within {limit:g}s") from exc
        except Exception as exc:
            raise DatabaseUnavailableError(f"{type(exc).__name__}: {exc}") from exc

    async def dispose(self) -> None:
        """Close every pooled connection (at shutdown); the next use opens a new engine."""
        engine, self._engine, self._sessions = self._engine, None, None
        if engine is not None:
            await engine.dispose()
