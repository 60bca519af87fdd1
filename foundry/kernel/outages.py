"""Telling an outage of a back end (Redis, the database) from a bug, and the 503 that answers it.

A request that fails because Redis or the database is down, frozen, restarting or out of
connections is not the application's fault and will succeed once the server is back: the client
should get ``503 Service Unavailable`` with ``Retry-After``, not a 500. :func:`outage_of` looks
at an exception (and what it was raised from) and names the back end that failed, or ``None``.

Drivers are recognised by their exception types and, for the bare ``OSError``/``TimeoutError``
that asyncpg and socket code raise, by where they were raised. Modules are looked up in
``sys.modules`` rather than imported: an app that never loaded redis or asyncpg cannot have an
outage of them, and the kernel stays free of their imports.
"""

from __future__ import annotations

import errno
import socket
import sys
import traceback
from collections.abc import Iterator, Mapping
from typing import Literal

from foundry.kernel.errors import HttpError

__all__ = [
    "DEFAULT_RETRY_AFTER",
    "Outage",
    "ServiceUnavailableError",
    "describe_cause",
    "outage_of",
]

#: Seconds a client is asked to wait before trying again (``Retry-After``).
DEFAULT_RETRY_AFTER = 5

Outage = Literal["database", "redis"]

# Where a bare OSError or TimeoutError was raised decides whose outage it is.
_MODULE_OWNERS: tuple[tuple[str, Outage], ...] = (
    ("redis", "redis"),
    ("limits", "redis"),
    ("asyncpg", "database"),
    ("aiosqlite", "database"),
    ("sqlalchemy", "database"),
    ("foundry.database", "database"),
)
# SQLite's words for a lock it waited for in vain (its busy timeout): the database is busy.
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_MAX_CHAIN = 16
# OSErrors that mean "the server cannot be reached", as opposed to a file or permission problem.
_NETWORK_ERRNOS = frozenset(
    {
        errno.ECONNREFUSED,
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.EPIPE,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.ENETDOWN,
        errno.ETIMEDOUT,
        errno.EADDRNOTAVAIL,
    }
)


class ServiceUnavailableError(HttpError):
    """503: a back end did not answer; ``Retry-After`` says when to try again."""

    status_code = 503
    error = "service_unavailable"
    default_message = "The service is temporarily unavailable. Please try again shortly."

    def __init__(
        self,
        message: str | None = None,
        *,
        retry_after: int = DEFAULT_RETRY_AFTER,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        merged = {"Retry-After": str(max(retry_after, 0)), **(headers or {})}
        super().__init__(message, headers=merged)
        self.retry_after = retry_after


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc``, then what it wraps (SQLAlchemy's ``orig``) and was raised from, once each."""
    seen: set[int] = set()
    pending = [exc]
    while pending and len(seen) < _MAX_CHAIN:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        for nxt in (orig, current.__cause__, current.__context__):
            if isinstance(nxt, BaseException):
                pending.append(nxt)


def _network_error(exc: BaseException) -> bool:
    if isinstance(exc, (ConnectionError, TimeoutError, socket.gaierror)):
        return True
    # asyncio's "Multiple exceptions: ..." (every address of a host refused) carries no errno.
    if not isinstance(exc, OSError):
        return False
    return exc.errno in _NETWORK_ERRNOS or (type(exc) is OSError and exc.errno is None)


def _raised_in(exc: BaseException) -> Outage | None:
    """The back end whose code is on ``exc``'s traceback, innermost frame first."""
    frames = list(traceback.walk_tb(exc.__traceback__))
    for frame, _ in reversed(frames):
        module = str(frame.f_globals.get("__name__", ""))
        for prefix, owner in _MODULE_OWNERS:
            if module == prefix or module.startswith(prefix + "."):
                return owner
    return None


def _redis_outage(exc: BaseException) -> bool:
    errors = sys.modules.get("redis.exceptions")
    if errors is None:
        return False
    # A wrong password or a missing ACL is a configuration error: it stays a loud 500.
    if isinstance(exc, (errors.AuthenticationError, errors.AuthorizationError)):
        return False
    return isinstance(exc, (errors.ConnectionError, errors.TimeoutError))


def _sqlalchemy_outage(exc: BaseException) -> bool:
    errors = sys.modules.get("sqlalchemy.exc")
    if errors is None:
        return False
    if isinstance(exc, errors.TimeoutError):  # no pooled connection came free in time
        return True
    return isinstance(exc, errors.DBAPIError) and exc.connection_invalidated


def _asyncpg_outage(exc: BaseException) -> bool:
    errors = sys.modules.get("asyncpg.exceptions")
    if errors is None:
        return False
    return isinstance(
        exc,
        (
            errors.PostgresConnectionError,  # class 08: connection exceptions
            errors.OperatorInterventionError,  # class 57: statement timeout, shutdown, restart
            errors.TooManyConnectionsError,
            errors.ConnectionDoesNotExistError,  # the server went away mid-statement
        ),
    )


def _sqlite_busy(exc: BaseException) -> bool:
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is None or not isinstance(exc, sqlite3.OperationalError):
        return False
    return str(exc).lower().startswith(_SQLITE_BUSY)


def _one_outage(exc: BaseException) -> Outage | None:
    if _redis_outage(exc):
        return "redis"
    if _sqlalchemy_outage(exc) or _asyncpg_outage(exc) or _sqlite_busy(exc):
        return "database"
    if _network_error(exc):  # refused, reset, unreachable, timed out
        return _raised_in(exc)
    return None


def outage_of(exc: BaseException) -> Outage | None:
    """``"redis"`` or ``"database"`` when ``exc`` says that back end is unavailable, else ``None``.

    Counted as outages: redis-py's connection errors and timeouts; a pool that had no connection
    free in time; a database error on a connection SQLAlchemy found dead; asyncpg's connection
    errors, cancelled statements (``statement_timeout``), server shutdowns and "too many
    connections"; SQLite's "database is locked" after its busy timeout; and any ``OSError`` or
    ``TimeoutError`` raised inside a Redis or database driver.
    """
    for link in _chain(exc):
        found = _one_outage(link)
        if found is not None:
            return found
    return None


def describe_cause(exc: BaseException) -> str:
    """``Type: message`` of the innermost error of ``exc``'s chain, for one log line.

    The innermost error is the driver's own (``ConnectionRefusedError: ...``), which names the
    failure without SQL or bound parameters; the message is cut short in case a driver quotes
    more than it should.
    """
    innermost = exc
    for _ in range(_MAX_CHAIN):
        inner = getattr(innermost, "orig", None) or innermost.__cause__ or innermost.__context__
        # Not into asyncio's CancelledError: a timeout is raised from one, which says less.
        if not isinstance(inner, Exception):
            break
        innermost = inner
    message = " ".join(str(innermost).split())
    if len(message) > 200:
        message = message[:197] + "..."
    return f"{type(innermost).__name__}: {message}" if message else type(innermost).__name__
