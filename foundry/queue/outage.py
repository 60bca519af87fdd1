"""Riding out a back end that went away: which errors mean "unreachable", and how long to wait.

A worker whose database or Redis stops answering does not exit (its supervisor would restart it
into the same outage, over and over) and does not spin: it waits, longer each time (doubling,
with jitter so a fleet of workers does not reconnect in lockstep, up to a cap), and tries
again. It logs one warning when an outage starts and one line when the back end answers again,
not one per attempt.
"""

from __future__ import annotations

import logging
import random
import sys
import time

from foundry.kernel.outages import outage_of

__all__ = ["Outage", "is_outage"]


def _worker_outage_types() -> tuple[type[BaseException], ...]:
    """What a worker counts as an outage beyond :func:`~foundry.kernel.outages.outage_of`.

    A request can tell a back end's connection error from a bug by where it was raised; a
    worker's loop talks to nothing but its back ends, so every ``OSError`` there is theirs (the
    bare ones too: refused, reset, timed out, ``DatabaseUnavailableError``), and so is every
    error SQLAlchemy or asyncpg report about the connection rather than the statement, even on a
    connection not (yet) invalidated.
    """
    import sqlalchemy.exc

    found: list[type[BaseException]] = [
        OSError,
        sqlalchemy.exc.OperationalError,
        sqlalchemy.exc.InterfaceError,
        sqlalchemy.exc.DisconnectionError,
    ]
    # Looked up, not imported: a worker that never loaded asyncpg cannot have its errors.
    asyncpg_errors = sys.modules.get("asyncpg.exceptions")
    if asyncpg_errors is not None:
        found.append(asyncpg_errors.InterfaceError)  # the connection is closed or being closed
    return tuple(found)


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` says a back end is unreachable (as opposed to a bug or bad data).

    Every outage a request answers with 503 (:func:`~foundry.kernel.outages.outage_of`: Redis
    and database connection errors and timeouts, an exhausted pool, SQLite's busy timeout), plus
    the worker's broader cases (:func:`_worker_outage_types`). A wrong Redis password is not an
    outage: waiting would never end it.
    """
    return outage_of(exc) is not None or isinstance(exc, _worker_outage_types())


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
