"""Snapshots of token rows as authlib's mixins, loaded before authlib runs.

authlib calls ``query_authorization_code``/``authenticate_refresh_token``/``query_token``
synchronously; the service loads the row asynchronously first and the grant hands back these
snapshots, so no database call happens inside authlib.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, TokenMixin

from foundry.database import utcnow

__all__ = ["AccessRecord", "CodeRecord", "GrantUser", "RefreshRecord"]


@dataclass(frozen=True, slots=True)
class GrantUser:
    """The resource owner of a grant (only the id: authlib needs nothing else)."""

    id: int

    def get_user_id(self) -> int:
        """authlib's name for the id."""
        return self.id


@dataclass(frozen=True, slots=True)
class CodeRecord(AuthorizationCodeMixin):
    """An authorization code row."""

    pk: int
    client_pk: int
    user_id: int
    redirect_uri: str
    scopes: str
    code_challenge: str | None
    code_challenge_method: str | None
    family_id: str
    expires_at: datetime
    used: bool

    def get_redirect_uri(self) -> str:
        """The redirect URI the code was issued for."""
        return self.redirect_uri

    def get_scope(self) -> str:
        """The approved scopes."""
        return self.scopes

    def is_expired(self) -> bool:
        """Past its (at most ten minute) lifetime."""
        return self.expires_at <= utcnow()


@dataclass(frozen=True, slots=True)
class RefreshRecord(TokenMixin):
    """A refresh token row."""

    pk: int
    client_pk: int
    user_id: int
    scopes: str
    family_id: str
    expires_at: datetime
    rotated: bool
    revoked: bool

    def check_client(self, client: object) -> bool:
        """Issued to ``client``."""
        return getattr(client, "pk", None) == self.client_pk

    def get_scope(self) -> str:
        """The scopes it may ask for again."""
        return self.scopes

    def get_expires_in(self) -> int:
        """Seconds left."""
        return max(int((self.expires_at - utcnow()).total_seconds()), 0)

    def is_expired(self) -> bool:
        """Past its lifetime."""
        return self.expires_at <= utcnow()

    def is_revoked(self) -> bool:
        """Rotated or revoked."""
        return self.rotated or self.revoked


@dataclass(frozen=True, slots=True)
class AccessRecord(TokenMixin):
    """An access token (the verified JWT's claims joined with its row)."""

    jti: str
    client_pk: int
    client_id: str
    user_id: int | None
    subject: str
    scopes: str
    issued_at: int
    expires_at: int
    revoked: bool

    def check_client(self, client: object) -> bool:
        """Issued to ``client``."""
        return getattr(client, "pk", None) == self.client_pk

    def get_scope(self) -> str:
        """The granted scopes."""
        return self.scopes

    def get_expires_in(self) -> int:
        """Seconds left."""
        return max(self.expires_at - int(utcnow().timestamp()), 0)

    def is_expired(self) -> bool:
        """Past its lifetime."""
        return self.expires_at <= int(utcnow().timestamp())

    def is_revoked(self) -> bool:
        """On the denylist or marked revoked."""
        return self.revoked
