"""How the user signed in, carried from the authorization page to the OAuth2 tokens it leads to.

A login token records ``amr``, ``acr``, ``auth_time`` and ``mfa_at`` (see
:mod:`foundry.auth.login_claims`); an access token of the authorization-code flow must record the
same for the sign-in that approved it, and keep them across refreshes. The code and refresh rows
have no column for them, so they are kept in the cache under the grant's family id (shared by the
code and every token it leads to) for ``OAUTH2_REFRESH_TTL`` seconds, renewed at each refresh. A
family whose entry is gone (an emptied cache) gets tokens without them: no ``mfa_at``, so
``require_mfa`` asks for a second factor again, which fails closed.

The device flow (RFC 8628) has no code row to hang them on until its tokens exist: the approval
page keeps the browser session's claims under the device code's hash (:func:`device_key`) for the
code's lifetime, the exchange reads them, and its new family keeps them from then on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from foundry.auth.login_claims import ACR_MFA, ACR_PWD
from foundry.cache import CacheManager, Repository
from foundry.config.oauth2 import OAuth2Settings

__all__ = ["LOGIN_CLAIM_NAMES", "OAuthLoginClaims", "clean_login_claims", "device_key"]

_PREFIX = "oauth2:login:"

#: The claims of a sign-in an OAuth2 access token carries.
LOGIN_CLAIM_NAMES = ("amr", "acr", "auth_time", "mfa_at")


def clean_login_claims(claims: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The well-formed sign-in claims of ``claims`` (a login token's, or what the cache held),
    or ``None``: ``amr`` a list of strings, ``acr`` one of ours, times as integers."""
    if not claims:
        return None
    amr = claims.get("amr")
    if not isinstance(amr, list) or not amr or not all(isinstance(m, str) for m in amr):
        return None
    clean: dict[str, Any] = {"amr": list(amr)}
    if claims.get("acr") in (ACR_MFA, ACR_PWD):
        clean["acr"] = claims["acr"]
    for name in ("auth_time", "mfa_at"):
        value = claims.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            clean[name] = value
    return clean


def device_key(device_code_hash: str) -> str:
    """The key of a device code's claims, between its approval and its exchange: a family id is
    hex, so ``device:`` never names a family."""
    return f"device:{device_code_hash}"


class OAuthLoginClaims:
    """Remembers and recalls a grant family's sign-in claims (autowired)."""

    def __init__(self, caches: CacheManager, settings: OAuth2Settings) -> None:
        self.caches = caches
        self.settings = settings

    @property
    def _cache(self) -> Repository:
        return self.caches.store()

    async def remember(
        self, family_id: str, claims: Mapping[str, Any] | None, ttl: int | None = None
    ) -> None:
        """Keep ``claims`` for the family's tokens (nothing when there are none) for ``ttl``
        seconds (default ``OAUTH2_REFRESH_TTL``)."""
        clean = clean_login_claims(claims)
        if clean is not None:
            lifetime = self.settings.refresh_ttl if ttl is None else ttl
            await self._cache.put(_PREFIX + family_id, clean, lifetime)

    async def forget(self, family_id: str) -> None:
        """Drop what :meth:`remember` kept (a device code's claims once exchanged)."""
        await self._cache.forget(_PREFIX + family_id)

    async def recall(self, family_id: str | None) -> dict[str, Any] | None:
        """The family's claims, if the cache still holds them."""
        if not family_id:
            return None
        value = await self._cache.get(_PREFIX + family_id)
        return clean_login_claims(value) if isinstance(value, dict) else None
