"""A short-lived, per-process cache of client snapshots for the token endpoint.

A machine client asking for tokens would otherwise cost a database read per token, several times
the price of the RS256 signature itself. Entries live ``OAUTH2_CLIENT_CACHE_TTL`` seconds (0
turns the cache off). Changes made in this process (revoking, re-keying, editing a client)
evict the entry at once; other processes see them within the TTL, which bounds how long a revoked
client or an old secret keeps working there. Unknown client ids are not cached.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from foundry.oauth2.client import OAuth2Client

__all__ = ["ClientCache"]

_MAX_ENTRIES = 1024


class ClientCache:
    """``get``/``put``/``forget`` of :class:`OAuth2Client` snapshots by ``client_id``."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[str, tuple[float, OAuth2Client]] = {}

    def get(self, client_id: str) -> OAuth2Client | None:
        """The cached snapshot, if still fresh."""
        entry = self._entries.get(client_id)
        if entry is None:
            return None
        if entry[0] <= self.clock():
            self._entries.pop(client_id, None)
            return None
        return entry[1]

    def put(self, client: OAuth2Client) -> None:
        """Remember ``client`` for ``ttl`` seconds."""
        if self.ttl <= 0:
            return
        if len(self._entries) >= _MAX_ENTRIES:
            self._entries.clear()  # a crude bound; clients are few, this is a safety net
        self._entries[client.client_id] = (self.clock() + self.ttl, client)

    def forget(self, client_id: str) -> None:
        """Drop ``client_id`` (after it changed)."""
        self._entries.pop(client_id, None)
