"""Riding out a back end that went away: which errors mean "unreachable", and how long to wait.

A worker whose database or Redis stops answering does not exit (its supervisor would restart it
into the same outage, over and over) and does not spin: it waits, longer each time (doubling,
with jitter so a fleet of workers does not reconnect in lockstep, up to a cap), and tries
again. It logs one warning when an outage starts and one line when the back end answers again,
not one per attempt.
"""

from __future__ import annotations

import importlib
import logging
import random
import time
from typing import Any

__all__ = ["Outage", "is_outage"]


def _outage_types() -> tuple[type[BaseException], ...]:
    import sqlalchemy.exc

    found: list[type[BaseException]] = [
        OSError,  # refused, reset, unreachable; TimeoutError; DatabaseUnavailableError
        sqlalchemy.exc.OperationalError,
        sqlalchemy.exc.InterfaceError,
        sqlalchemy.exc.DisconnectionError,
        sqlalchemy.exc.TimeoutError,  # no pooled connection came free
    ]
    try:
        import redis.exceptions

        found += [redis.exceptions.ConnectionError, redis.exceptions.TimeoutError]
    except ImportError:  # pragma: no cover - redis is a dependency, but a battery need not be
        pass
    try:
        asyncpg_errors: Any = importlib.import_module("asyncpg.exceptions")  # ships no stubs
    except ImportError:  # pragma: no cover - PostgreSQL is optional
        pass
    else:
        # Raised unwrapped while a connection is made: the server is starting or shutting down.
        found += [
            asyncpg_errors.PostgresConnectionError,
            asyncpg_errors.OperatorInterventionError,
            asyncpg_errors.InterfaceError,
        ]
    return tuple(found)


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` says a back end is unreachable (as opposed to a bug or bad data)."""
    import sqlalchemy.exc

    if isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, _outage_types())


class Outage:
    """The state of one worker's connection: healthy, or down since a time, with its next wait."""

    def __init__(
        self,
        what: str,
        logger: logging.Logger,
        *,
        first_wait: float = 0.5,
        max_wait: float = 30.0,
    ) -> None:
        """
        Args:
            what: how log lines name the back end (``"queue connection 'database'"``).
            logger: where the two lines of an outage go.
            first_wait: seconds before the first retry; each later one doubles it.
            max_wait: the longest wait between two attempts (``QUEUE_RECONNECT_MAX_WAIT``).
        """
        self.what = what
        self.logger = logger
        self.first_wait = first_wait
        self.max_wait = max(max_wait, first_wait)
        self.failures = 0
        self.since: float | None = None

    @property
    def active(self) -> bool:
        """Whether the back end is down (no attempt has succeeded since a failure)."""
        return self.since is not None

    def failed(self, exc: BaseException) -> float:
        """Note a failed attempt; returns the seconds to wait before the next one."""
        if self.since is None:
            self.since = time.monotonic()
            self.logger.warning(
                "%s is unavailable (%s: %s); the worker keeps retrying with back-off",
                self.what,
                type(exc).__name__,
                exc,
            )
        self.failures += 1
        ceiling = min(self.max_wait, self.first_wait * 2.0 ** min(self.failures - 1, 30))
        # "Equal jitter": at least half the ceiling, so waits still grow, never in lockstep.
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def recovered(self) -> None:
        """Note a successful attempt; logs the end of an outage once."""
        if self.since is None:
            return
        self.logger.warning(
            "%s is back after %.1f s (%d failed attempts); the worker goes on",
            self.what,
            time.monotonic() - self.since,
            self.failures,
        )
        self.since = None
        self.failures = 0
