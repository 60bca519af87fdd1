"""The JWT service: issue and verify RS256 access tokens, publish the JWKS, revoke by ``jti``.

Verification is strict on purpose: the header is read first and anything but ``alg: RS256`` with
a ``kid`` we hold is refused before a signature is checked, so ``alg: none`` and HS256 tokens
"signed" with our public key as an HMAC secret never reach a verifier.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError
from joserfc.jwt import JWTClaimsRegistry
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt.denylist import TokenDenylist
from foundry.auth.jwt.keys import KeyStore
from foundry.auth.jwt.tokens import RESERVED_CLAIMS, InvalidTokenError, IssuedToken, TokenClaims
from foundry.config.jwt import JwtSettings

__all__ = ["ALGORITHM", "JwtService"]

ALGORITHM = "RS256"
_MAX_TOKEN_LENGTH = 8192


class JwtService:
    """Bound as a singleton; holds the loaded keys (see :class:`KeyStore`)."""

    def __init__(
        self,
        settings: JwtSettings,
        keys: KeyStore,
        denylist: TokenDenylist,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.keys = keys
        self.denylist = denylist
        self.clock = clock

    # -- issuing ---------------------------------------------------------------------------------

    def issue(
        self, subject: str, *, claims: Mapping[str, object] | None = None, ttl: int | None = None
    ) -> IssuedToken:
        """Sign an access token for ``subject`` valid for ``ttl`` seconds (``JWT_ACCESS_TTL``).

        ``claims`` adds private claims (``scope``, ``sid``...); the registered ones are ours.

        Raises:
            ValueError: a reserved claim in ``claims``, or ``ttl`` outside 1..``JWT_ACCESS_TTL``
                (a longer token could outlive the retention of its key after a rotation).
        """
        lifetime = self.settings.access_ttl if ttl is None else ttl
        if not 0 < lifetime <= self.settings.access_ttl:
            raise ValueError(f"ttl must be between 1 and {self.settings.access_ttl} seconds")
        extra = dict(claims or {})
        clash = RESERVED_CLAIMS.intersection(extra)
        if clash:
            raise ValueError(f"reserved claims cannot be set: {', '.join(sorted(clash))}")
        now = int(self.clock())
        jti = secrets.token_urlsafe(16)
        payload: dict[str, Any] = {
            **extra,
            "iss": self.settings.issuer,
            "sub": subject,
            "aud": self.settings.audience,
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "jti": jti,
        }
        header = {"alg": ALGORITHM, "typ": self.settings.token_type, "kid": self.keys.current_kid}
        token = jwt.encode(header, payload, self.keys.signing_key, algorithms=[ALGORITHM])
        return IssuedToken(token, jti, _datetime(now + lifetime), lifetime)

    # -- verifying -------------------------------------------------------------------------------

    def decode(self, token: str) -> TokenClaims:
        """Verify ``token`` (signature, ``alg``, ``kid``, times, ``iss``, ``aud``); no denylist.

        Raises:
            InvalidTokenError: with a short reason; never the token's contents.
        """
        kid = self._header_kid(token)
        key = self.keys.verification_key(kid)
        if key is None:
            raise InvalidTokenError("unknown key")
        try:
            payload = jwt.decode(token, key, algorithms=[ALGORITHM]).claims
        except JoseError:
            raise InvalidTokenError("bad signature") from None
        self._validate(payload)
        return TokenClaims(
            subject=payload["sub"],
            jti=payload["jti"],
            issuer=payload["iss"],
            audience=payload["aud"] if isinstance(payload["aud"], str) else tuple(payload["aud"]),
            issued_at=_datetime(payload["iat"]),
            not_before=_datetime(payload["nbf"]),
            expires_at=_datetime(payload["exp"]),
            key_id=kid,
            claims=dict(payload),
        )

    async def authenticate(self, token: str) -> TokenClaims:
        """:meth:`decode`, then refuse a revoked token (the denylist)."""
        claims = self.decode(token)
        if await self.denylist.is_denied(claims.jti, claims.get("sid")):
            raise InvalidTokenError("revoked")
        return claims

    async def revoke(self, claims: TokenClaims, db: AsyncSession) -> bool:
        """Put the token on the denylist until it expires (logout); commit ``db`` after."""
        return await self.denylist.revoke(claims.jti, claims.expires_at, db)

    async def revoke_sessions(self, session_ids: Iterable[str], db: AsyncSession) -> None:
        """Refuse every access token whose ``sid`` claim is one of ``session_ids``; commit ``db``
        after."""
        for session_id in session_ids:
            await self.denylist.revoke_session(session_id, self.settings.access_ttl, db)

    async def end_user_sessions(
        self, user_id: int, session_ids: Iterable[str], db: AsyncSession
    ) -> None:
        """End every login of a user (logout-all, a password change or reset): the access tokens
        of ``session_ids`` and every browser session (the OAuth2 pages' cookie) started so far.
        Commit ``db`` after."""
        await self.revoke_sessions(session_ids, db)
        self.denylist.end_browser_sessions(user_id, db)

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """The public keys that verify tokens, as a JWK Set (``/.well-known/jwks.json``)."""
        return {
            "keys": [
                {**k.key.as_dict(private=False), "kid": k.kid, "use": "sig", "alg": ALGORITHM}
                for k in self.keys.verification_keys()
            ]
        }

    def _header_kid(self, token: str) -> str:
        if not isinstance(token, str) or len(token) > _MAX_TOKEN_LENGTH or token.count(".") != 2:
            raise InvalidTokenError("malformed")
        encoded = token.split(".", 1)[0]
        try:
            header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        except (binascii.Error, ValueError):
            raise InvalidTokenError("malformed") from None
        if not isinstance(header, dict):
            raise InvalidTokenError("malformed")
        if header.get("alg") != ALGORITHM:
            raise InvalidTokenError("algorithm not allowed")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise InvalidTokenError("unknown key")
        if "crit" in header or "jku" in header or "jwk" in header or "x5u" in header:
            raise InvalidTokenError("header not allowed")
        return kid

    def _validate(self, payload: dict[str, Any]) -> None:
        registry = JWTClaimsRegistry(
            now=int(self.clock()),
            leeway=self.settings.leeway,
            iss={"essential": True, "value": self.settings.issuer},
            aud={"essential": True, "value": self.settings.audience},
            sub={"essential": True},
            jti={"essential": True},
            exp={"essential": True},
            nbf={"essential": True},
            iat={"essential": True},
        )
        try:
            registry.validate(payload)
        except ExpiredTokenError:
            raise InvalidTokenError("expired") from None
        except MissingClaimError:
            raise InvalidTokenError("missing claim") from None
        except InvalidClaimError as exc:
            raise InvalidTokenError(_claim_reason(exc)) from None
        except JoseError:
            raise InvalidTokenError("invalid claims") from None


def _claim_reason(exc: InvalidClaimError) -> str:
    claim = exc.claim
    if claim == "nbf":
        return "not yet valid"
    if claim == "iat":
        return "issued in the future"
    return f"invalid {claim}" if claim in RESERVED_CLAIMS else "invalid claims"


def _datetime(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)
