"""After-commit hooks: side effects raised inside a unit of work wait for its commit.

Events, queued jobs, mail and broadcasts call :func:`defer_until_commit` (or await
:func:`after_commit`) so that a listener never acts on a row that was rolled back. The unit of
work is the current scope's session (one per request or job); code outside any scope, or in a
scope that has not touched the database, runs its side effects at once.

"Open" means there is something to commit: inside ``async with session.begin():`` or a
savepoint, or once the transaction added, changed, deleted or wrote rows. A transaction
SQLAlchemy began only to read does not hold callbacks, since nothing would ever commit it.
"""

from __future__ import annotations

import inspect

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database.facades import open_session
from foundry.database.session import AfterCommitCallback, DatabaseSession

__all__ = ["AfterCommitCallback", "after_commit", "current_session", "defer_until_commit"]


def current_session() -> AsyncSession | None:
    """The current scope's session if something already opened it; never opens one."""
    return open_session()


def defer_until_commit(callback: AfterCommitCallback) -> bool:
    """Hold ``callback`` until the current unit of work commits (dropped if it rolls back).

    Returns True when held; False when no unit of work is open and the caller should run the
    callback now.

    Raises:
        TypeError: the scope's session was not made by ``DatabaseManager`` and so cannot
            report its commits (holding the callback would lose it).
    """
    session = current_session()
    if session is None:
        return False
    if not isinstance(session, DatabaseSession):
        if not session.in_transaction():
            return False
        raise TypeError(
            f"the scope's session is a plain {type(session).__name__}, which has no commit "
            "hooks: bind AsyncSession through DatabaseManager.session()"
        )
    return session.defer_until_commit(callback)


async def after_commit(callback: AfterCommitCallback) -> None:
    """Run ``callback`` after the current unit of work commits, or now if none is open."""
    if defer_until_commit(callback):
        return
    result = callback()
    if inspect.isawaitable(result):
        await result
