"""What one OAuth2 request needs from the database, loaded before authlib runs, and what authlib
decided, written after it returns.

authlib is synchronous and calls back into "the database" (``query_client``,
``query_authorization_code``, ``save_token``...). Running those calls on the event loop would
block it, and running authlib in a thread would need a second, synchronous database session
outside the request's unit of work. Instead the service loads every row the request can need
(the client named by the request, the code or refresh token it presents) asynchronously, authlib
works on these snapshots, and its writes are collected here and applied asynchronously in the
request's transaction afterwards. A write that loses a race (a code spent twice at once) turns the
response into ``invalid_grant``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from foundry.database import utcnow
from foundry.oauth2.client import OAuth2Client
from foundry.oauth2.records import AccessRecord, CodeRecord, GrantUser, RefreshRecord

__all__ = ["DeviceRecord", "GrantContext", "IssuedGrantToken", "NewAuthorizationCode"]


@dataclass(frozen=True, slots=True)
class IssuedGrantToken:
    """An access token (and maybe a refresh token) authlib handed out; persisted afterwards."""

    grant_type: str
    jti: str
    expires_at: datetime
    scope: str
    user_id: int | None
    family_id: str | None
    refresh_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class NewAuthorizationCode:
    """An authorization code authlib generated at the authorization endpoint."""

    code: str = field(repr=False)
    client_pk: int = 0
    user_id: int = 0
    redirect_uri: str = ""
    scope: str = ""
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    #: The grant family of the code and every token it leads to (chosen here so the sign-in's
    #: claims can be remembered under it before the row is written).
    family_id: str = field(default_factory=lambda: secrets.token_hex(16))


@dataclass(frozen=True, slots=True)
class DeviceRecord:
    """A device code row (RFC 8628)."""

    pk: int
    client_pk: int
    client_id: str
    user_code: str
    scopes: str
    user_id: int | None
    denied: bool
    expires_at: datetime
    last_polled_at: datetime | None

    def get_client_id(self) -> str:
        """The client it was issued to."""
        return self.client_id

    def get_scope(self) -> str:
        """The scopes asked for."""
        return self.scopes

    def get_user_code(self) -> str:
        """The code the user types."""
        return self.user_code

    def is_expired(self) -> bool:
        """Past its lifetime."""
        return self.expires_at <= utcnow()


@dataclass(slots=True)
class GrantContext:
    """The rows loaded for one request, and authlib's decisions about them."""

    client: OAuth2Client | None = None
    code: CodeRecord | None = None
    refresh: RefreshRecord | None = None
    access: AccessRecord | None = None
    device: DeviceRecord | None = None
    #: The resource owner whose password was checked (password grant) before authlib ran.
    password_user: GrantUser | None = None
    password_username: str | None = None
    #: Device polling too fast (RFC 8628 ``slow_down``), decided while loading.
    slow_down: bool = False
    #: How the user of the code or refresh token signed in (``amr``, ``acr``...), for the new
    #: access token (:mod:`foundry.oauth2.login_claims`).
    login_claims: dict[str, Any] | None = None

    # -- decisions, applied after authlib returns ------------------------------------------------
    pending: dict[str, IssuedGrantToken] = field(default_factory=dict)
    issued: list[IssuedGrantToken] = field(default_factory=list)
    spent_code: CodeRecord | None = None
    rotated_refresh: RefreshRecord | None = None
    new_code: NewAuthorizationCode | None = None
    revoked: list[AccessRecord | RefreshRecord] = field(default_factory=list)
    spent_device: DeviceRecord | None = None

    def confirm(self, access_token: str) -> None:
        """authlib saved the token generated for ``access_token``: persist it afterwards."""
        issued = self.pending.pop(access_token, None)
        if issued is not None:
            self.issued.append(issued)
