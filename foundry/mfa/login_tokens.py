"""``mfa_token``: the short-lived, single-use proof that a login's password step succeeded.

It is a random token (256 bits) the client holds between ``POST /auth/login`` and
``POST /auth/mfa/verify``; the cache keeps only its SHA-256, with the user id, the methods
proved so far (``["pwd"]``) and its expiry. It is no JWT, so it can never pass as an access
token. Spending it is atomic (the cache's ``forget`` answers whether the key was there), so two
racing verifications cannot both log in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from foundry.cache import CacheManager, Repository
from foundry.config.mfa import MfaSettings
from foundry.mfa.clock import MfaClock

__all__ = ["LoginChallenge", "MfaLoginTokens"]

_PREFIX = "mfa:login:"


@dataclass(frozen=True)
class LoginChallenge:
    """A live ``mfa_token``'s state: whose it is and what they proved already."""

    key: str
    user_id: int
    amr: tuple[str, ...]


class MfaLoginTokens:
    """Issues, reads and spends ``mfa_token`` values; bound as a singleton."""

    def __init__(self, caches: CacheManager, settings: MfaSettings, clock: MfaClock) -> None:
        self.caches = caches
        self.settings = settings
        self.clock = clock

    @property
    def _cache(self) -> Repository:
        return self.caches.store()

    async def issue(self, user_id: int, amr: tuple[str, ...] = ("pwd",)) -> str:
        """A new token for ``user_id``, valid for ``MFA_LOGIN_TTL`` seconds."""
        token = secrets.token_urlsafe(32)
        ttl = self.settings.login_token_ttl
        value = {"user_id": user_id, "amr": list(amr), "expires_at": self.clock.now() + ttl}
        await self._cache.put(_key(token), value, ttl)
        return token

    async def find(self, token: str) -> LoginChallenge | None:
        """The live challenge ``token`` names, or ``None`` (unknown, expired or spent)."""
        if not token or len(token) > 256:
            return None
        key = _key(token)
        value = await self._cache.get(key)
        if not isinstance(value, dict):
            return None
        expires_at, user_id, amr = value.get("expires_at"), value.get("user_id"), value.get("amr")
        if not isinstance(expires_at, (int, float)) or expires_at <= self.clock.now():
            return None
        if not isinstance(user_id, int) or not isinstance(amr, list):
            return None
        return LoginChallenge(key, user_id, tuple(str(method) for method in amr))

    async def spend(self, challenge: LoginChallenge) -> bool:
        """Use the token up; whether this call was the one that did (single use)."""
        return await self._cache.forget(challenge.key)


def _key(token: str) -> str:
    return _PREFIX + hashlib.sha256(token.encode("utf-8")).hexdigest()
