"""What the JWT service hands out and hands back: issued tokens, verified claims, the one error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from foundry.kernel.errors import AuthenticationError

__all__ = ["RESERVED_CLAIMS", "IssuedToken", "InvalidTokenError", "TokenClaims"]

#: Claims the service sets itself; ``issue(claims=...)`` may not override them.
RESERVED_CLAIMS = frozenset({"iss", "sub", "aud", "exp", "iat", "nbf", "jti"})


class InvalidTokenError(AuthenticationError):
    """A token that must not be accepted (401), with a short ``reason``.

    The message never contains the token or its claims.
    """

    error = "invalid_token"

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"Invalid token: {reason}.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A signed access token and what a login response says about it."""

    token: str = field(repr=False)
    jti: str
    expires_at: datetime
    #: Seconds from issue to expiry (the OAuth ``expires_in``).
    expires_in: int


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """The verified claims of an access token."""

    subject: str
    jti: str
    issuer: str
    audience: str | tuple[str, ...]
    issued_at: datetime
    not_before: datetime
    expires_at: datetime
    #: The ``kid`` of the key that signed it.
    key_id: str
    #: Every claim of the payload, registered ones included.
    claims: Mapping[str, object]

    def get(self, name: str, default: object = None) -> object:
        """Claim ``name`` of the payload, or ``default``."""
        return self.claims.get(name, default)
