"""The access-token denylist: revoked ``jti`` and ``sid`` values, in the database with the cache
in front.

Access tokens are not stored anywhere, so revoking one means remembering its ``jti`` (or its
login's ``sid``) for as long as the token could still be presented. Each revocation is a row of
``revoked_tokens`` (written in the caller's unit of work, see :mod:`foundry.auth.revocations`)
and a cache key whose TTL is the token's remaining lifetime plus the verification leeway.

Every authenticated request asks :meth:`TokenDenylist.is_denied`, so the answer comes from one
cache read (one ``MGET`` on Redis) whenever the cache knows it. A key holds ``1`` for revoked and
``0`` for "the database said no", the latter for ``JWT_DENYLIST_NEGATIVE_TTL`` seconds. A key the
cache does not hold (first sight of a token, a cache that restarted empty, an evicted key) is
asked of the database, and the answer cached. So a flushed cache costs one query per token, never
a revoked token accepted; and when neither answers, the error propagates: nothing is accepted.

The two writes cannot undo each other: a revocation overwrites a cached ``0``, while a ``0`` is
only added where no key exists (``add``, atomic), so it never hides a revocation cached while the
database was being read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.revocations import (
    JTI,
    SESSION,
    USER_SESSIONS,
    Revocation,
    find_revocations,
    record_revocation,
)
from foundry.cache.manager import CacheManager
from foundry.cache.repository import Repository
from foundry.database.manager import DatabaseManager

__all__ = ["TokenDenylist"]

SESSION_PREFIX = "jwt:denylist-session:"
KEY_PREFIX = "jwt:denylist:"
#: Cached answers: revoked, or known (from the database) not to be.
REVOKED = 1
NOT_REVOKED = 0


class TokenDenylist:
    """``revoke(jti, expires_at, db)`` and ``is_denied(jti, sid)`` on a cache store and the
    ``revoked_tokens`` table."""

    def __init__(
        self,
        cache: CacheManager,
        database: DatabaseManager,
        *,
        store: str | None = None,
        leeway: int = 0,
        negative_ttl: float = 60,
        browser_session_ttl: int = 7200,
        clock: Callable[[], float] | None = None,
    ) -> None:
        #: Give it the ``Cache`` facade (the provider does) and ``Cache.fake()``/``swap()`` is
        #: honoured.
        self.cache = cache
        self.database = database
        self.store_name = store or None
        self.leeway = leeway
        #: How long "not revoked", read from the database, is believed without asking again.
        self.negative_ttl = negative_ttl
        #: The longest a browser session cookie lives (``OAUTH2_SESSION_TTL``).
        self.browser_session_ttl = browser_session_ttl
        self._clock = clock

    def _store(self) -> Repository:
        return self.cache.store(self.store_name)

    def _now(self) -> float:
        return self._clock() if self._clock is not None else self.cache.clock()

    # -- revoking --------------------------------------------------------------------------------

    async def revoke(self, jti: str, expires_at: datetime, db: AsyncSession) -> bool:
        """Deny ``jti`` until ``expires_at`` (plus leeway); false if the token has expired anyway.

        The row joins ``db``'s unit of work: commit it.
        """
        now = self._now()
        until = expires_at.timestamp() + self.leeway
        if until <= now:
            return False
        record_revocation(db, JTI, jti, _datetime(until), now=_datetime(now))
        return await self._store().put(KEY_PREFIX + jti, REVOKED, until - now)

    async def revoke_session(self, session_id: str, lifetime: int, db: AsyncSession) -> bool:
        """Deny every token carrying ``sid`` = ``session_id`` (a login's refresh family).

        Kept for ``lifetime`` (the longest access-token lifetime) plus leeway: by then every
        such token has expired anyway. The row joins ``db``'s unit of work: commit it.
        """
        now = self._now()
        seconds = lifetime + self.leeway
        record_revocation(db, SESSION, session_id, _datetime(now + seconds), now=_datetime(now))
        return await self._store().put(SESSION_PREFIX + session_id, REVOKED, seconds)

    def end_browser_sessions(self, user_id: int, db: AsyncSession) -> None:
        """End every browser session ``user_id`` started until now (the cookie's reader asks
        :func:`foundry.auth.revocations.sessions_ended_at`). The row joins ``db``'s unit of work
        and lasts as long as such a cookie could."""
        now = self._now()
        until = _datetime(now + self.browser_session_ttl)
        record_revocation(db, USER_SESSIONS, str(user_id), until, now=_datetime(now))

    # -- checking --------------------------------------------------------------------------------

    async def is_revoked(self, jti: str) -> bool:
        """Whether ``jti`` is on the list."""
        return await self.is_denied(jti)

    async def is_session_revoked(self, session_id: str) -> bool:
        """Whether the login ``session_id`` was ended."""
        return await self._answer({SESSION_PREFIX + session_id: (SESSION, session_id)})

    async def is_denied(self, jti: str, session_id: object = None) -> bool:
        """Whether the token ``jti``, or the login ``session_id`` it belongs to, was revoked.

        ``session_id`` is the token's ``sid`` claim as it came; anything but a string names no
        login. One read of the cache for both; the database only for what the cache lacks.
        """
        wanted: dict[str, Revocation] = {KEY_PREFIX + jti: (JTI, jti)}
        if isinstance(session_id, str):
            wanted[SESSION_PREFIX + session_id] = (SESSION, session_id)
        return await self._answer(wanted)

    async def _answer(self, wanted: dict[str, Revocation]) -> bool:
        store = self._store()
        cached = await store.many(wanted)
        if any(value == REVOKED for value in cached.values()):
            return True
        unknown = [key for key, value in cached.items() if value is None]
        if not unknown:
            return False
        return await self._ask_database(store, {key: wanted[key] for key in unknown})

    async def _ask_database(self, store: Repository, unknown: dict[str, Revocation]) -> bool:
        now = self._now()
        async with self.database.connect() as connection:
            revoked = await find_revocations(connection, unknown.values(), _datetime(now))
        for key, revocation in unknown.items():
            until = revoked.get(revocation)
            if until is not None:  # the cache lost it: put it back for as long as it lasts
                await store.put(key, REVOKED, until.timestamp() - now)
            else:
                await store.add(key, NOT_REVOKED, self.negative_ttl)
        return bool(revoked)


def _datetime(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)
