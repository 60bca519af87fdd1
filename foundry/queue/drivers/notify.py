"""Waking idle database workers with PostgreSQL's ``LISTEN``/``NOTIFY`` instead of polling.

A push sends ``NOTIFY foundry_jobs, '<queue>'`` in its own transaction, so the notification
goes out when the job becomes visible (at commit) and never for a rolled-back one. An idle
worker holds one connection that ``LISTEN``s on the channel and waits for a notification of one
of its queues, with a timeout (its ``--sleep``, or less when a delayed job is due sooner).

Nothing is lost between a worker's last empty poll and its wait: notifications are counted
from the moment the listener exists, and a wait returns at once if any came since the previous
wait returned. A fresh listener (the first one, or one reconnected after the server went
away) cannot know what was pushed before it listened, so its first wait returns at once and
the worker polls again.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Collection
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

__all__ = ["CHANNEL", "JobNotifications"]

#: The channel pushes notify and idle workers listen on; the payload is the queue's name.
CHANNEL = "foundry_jobs"


class JobNotifications:
    """One ``LISTEN`` connection of a worker, and the count of notifications it received."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._connection: AsyncConnection | None = None
        self._raw: Any = None
        self._queues: frozenset[str] = frozenset()
        self._received = 0
        self._seen = 0
        self._arrived = asyncio.Event()

    @property
    def listening(self) -> bool:
        """Whether a live connection listens now."""
        return self._raw is not None and not self._raw.is_closed()

    async def wait(self, queues: Collection[str], timeout: float) -> None:
        """Return when a job was pushed to one of ``queues`` since the last wait, or after
        ``timeout`` seconds; raises the connection's error if the server cannot be reached."""
        self._queues = frozenset(queues)
        if not self.listening:
            await self._listen()
            return  # what was pushed before LISTEN went unheard: poll once more
        if self._received == self._seen:
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout)
        self._seen = self._received

    async def _listen(self) -> None:
        await self.close()
        connection = await self.engine.connect()
        try:
            raw: Any = (await connection.get_raw_connection()).driver_connection
            await raw.add_listener(CHANNEL, self._notified)
            raw.add_termination_listener(self._terminated)
        except BaseException:
            await connection.invalidate()
            raise
        self._connection, self._raw = connection, raw
        self._seen = self._received

    def _notified(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        if payload in self._queues:
            self._received += 1
            self._arrived.set()

    def _terminated(self, _connection: Any) -> None:
        # The server went away: stop waiting, so the worker meets the outage and reconnects.
        self._received += 1
        self._arrived.set()

    async def close(self) -> None:
        """Stop listening and drop the connection (a broken one is discarded, not pooled)."""
        connection, self._connection, self._raw = self._connection, None, None
        if connection is None:
            return
        # A connection that stopped listening is never handed to a request: discard it.
        with contextlib.suppress(Exception):
            await connection.invalidate()
