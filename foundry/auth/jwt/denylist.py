"""The access-token denylist: revoked ``jti`` values in the cache until their token expires.

Access tokens are not stored anywhere, so revoking one means remembering its ``jti`` for as long
as the token could still be presented. Each entry is one cache key whose TTL is the token's
remaining lifetime plus the verification leeway, so the list cleans itself up; on the Redis
store every process sees the same list.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from foundry.cache.manager import CacheManager
from foundry.cache.repository import Repository

__all__ = ["TokenDenylist"]

SESSION_PREFIX = "jwt:denylist-session:"
KEY_PREFIX = "jwt:denylist:"


class TokenDenylist:
    """``revoke(jti, expires_at)`` and ``is_revoked(jti)`` on a cache store."""

    def __init__(
        self,
        cache: CacheManager,
        *,
        store: str | None = None,
        leeway: int = 0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        #: Give it the ``Cache`` facade (the provider does) and ``Cache.fake()``/``swap()`` is
        #: honoured.
        self.cache = cache
        self.store_name = store or None
        self.leeway = leeway
        self._clock = clock

    def _store(self) -> Repository:
        return self.cache.store(self.store_name)

    def _now(self) -> float:
        return self._clock() if self._clock is not None else self.cache.clock()

    async def revoke(self, jti: str, expires_at: datetime) -> bool:
        """Deny ``jti`` until ``expires_at`` (plus leeway); false if the token has expired anyway."""
        remaining = expires_at.timestamp() + self.leeway - self._now()
        if remaining <= 0:
            return False
        return await self._store().put(KEY_PREFIX + jti, 1, remaining)

    async def is_revoked(self, jti: str) -> bool:
        """Whether ``jti`` is on the list."""
        return await self._store().has(KEY_PREFIX + jti)

    async def is_denied(self, jti: str, session_id: object = None) -> bool:
        """Whether the token ``jti``, or the login ``session_id`` it belongs to, was revoked.

        ``session_id`` is the token's ``sid`` claim as it came; anything but a string names no
        login. One read of the cache for both (a single ``MGET`` on Redis): every authenticated
        request asks this.
        """
        keys = [KEY_PREFIX + jti]
        if isinstance(session_id, str):
            keys.append(SESSION_PREFIX + session_id)
        found = await self._store().many(keys)
        return any(value is not None for value in found.values())

    async def revoke_session(self, session_id: str, lifetime: int) -> bool:
        """Deny every token carrying ``sid`` = ``session_id`` (a login's refresh family).

        Kept for ``lifetime`` (the longest access-token lifetime) plus leeway: by then every
        such token has expired anyway.
        """
        return await self._store().put(SESSION_PREFIX + session_id, 1, lifetime + self.leeway)

    async def is_session_revoked(self, session_id: str) -> bool:
        """Whether the login ``session_id`` was ended."""
        return await self._store().has(SESSION_PREFIX + session_id)
