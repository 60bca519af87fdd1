"""The scope's database session, opened only when something asks for it.

The token endpoint answers a ``client_credentials`` request from the client cache without a
query, and writes nothing (the tokens are stateless). Opening an ``AsyncSession`` anyway costs
several microseconds per token (a SQLAlchemy session object and its state), so the OAuth2
services take this handle instead and open the scope's one shared session on first use. It is the
same session every other service of the request sees: the unit of work is unchanged.
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

    def get(self) -> AsyncSession:
        """The scope's session, opened now if nothing opened it yet."""
        session = self._session
        if session is None:
            session = self._session = self._open()
        return session

    @property
    def opened(self) -> bool:
        """Whether :meth:`get` has been called (a query may have run)."""
        return self._session is not None
