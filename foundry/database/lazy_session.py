"""The scope's database session, opened only when something asks for it.

Some work often needs no database: the token endpoint answers a ``client_credentials`` request
from the client cache, and most queued jobs hold no model. Opening an ``AsyncSession`` anyway
costs several microseconds (a SQLAlchemy session object and its state, then closing it), so such
code takes this handle, bound per scope by ``DatabaseServiceProvider``, and opens the scope's one
shared session on first use. It is the same session every other service of the scope sees: the
unit of work is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["LazySession"]


class LazySession:
    """Opens the request's (or job's) ``AsyncSession`` the first time :meth:`get` is called."""

    __slots__ = ("_open", "_session")

    def __init__(self, open_session: Callable[[], AsyncSession]) -> None:
        self._open = open_session
        self._session: AsyncSession | None = None

    @classmethod
    def opened(cls, session: AsyncSession) -> LazySession:
        """A handle on a session the caller already holds."""
        handle = cls(lambda: session)
        handle._session = session
        return handle

    def get(self) -> AsyncSession:
        """The scope's session, opened now if nothing opened it yet."""
        session = self._session
        if session is None:
            session = self._session = self._open()
        return session
