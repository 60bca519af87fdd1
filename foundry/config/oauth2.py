"""OAuth2 server settings: issuer, scopes (with the descriptions shown on the consent page), TTLs.

Scopes are code, not environment: edit :data:`DEFAULT_SCOPES` (or set ``OAUTH2_SCOPES`` to a JSON
object) to add your API's scopes.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from foundry.config.base import Settings

__all__ = ["DEFAULT_SCOPES", "OFFLINE_ACCESS", "OAuth2Settings", "SETTINGS"]

#: The scope that asks for refresh tokens (OpenID Connect's name for it).
OFFLINE_ACCESS = "offline_access"

#: scope -> what the consent page tells the user it allows.
DEFAULT_SCOPES: dict[str, str] = {
    "profile": "Read your name and email address",
    "users:read": "List the users of this site",
    "admin": "Manage roles, permissions and who holds them (administrators only)",
    OFFLINE_ACCESS: "Stay signed in when you are away (refresh tokens)",
}


class OAuth2Settings(Settings):
    """``OAUTH2_*`` variables."""

    #: The ``issuer`` of the RFC 8414 metadata (empty: ``JWT_ISSUER``, which signs the tokens and
    #: is ``APP_URL`` unless set). Endpoint URLs are built on it, never on a request's ``Host``.
    issuer: str = Field(default="", validation_alias="OAUTH2_ISSUER")
    #: Every scope a client may ask for, with its description.
    scopes: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_SCOPES), validation_alias="OAUTH2_SCOPES"
    )

    @field_validator("scopes")
    @classmethod
    def _offline_access(cls, value: dict[str, str]) -> dict[str, str]:
        # Refresh tokens need it: a scope list without it would make them unobtainable.
        if OFFLINE_ACCESS not in value:
            return {**value, OFFLINE_ACCESS: DEFAULT_SCOPES[OFFLINE_ACCESS]}
        return value

    #: Access-token lifetime in seconds; at most ``JWT_ACCESS_TTL`` (key rotation relies on it).
    access_ttl: int = Field(default=900, gt=0, validation_alias="OAUTH2_ACCESS_TTL")
    #: Refresh-token lifetime in seconds (30 days).
    refresh_ttl: int = Field(default=2_592_000, gt=0, validation_alias="OAUTH2_REFRESH_TTL")
    #: Authorization-code lifetime in seconds (RFC 6749 recommends at most 10 minutes).
    code_ttl: int = Field(default=600, gt=0, le=600, validation_alias="OAUTH2_CODE_TTL")
    #: Device-code lifetime in seconds, and how often a device may poll.
    device_code_ttl: int = Field(default=600, gt=0, le=1800, validation_alias="OAUTH2_DEVICE_TTL")
    device_poll_interval: int = Field(default=5, ge=1, validation_alias="OAUTH2_DEVICE_INTERVAL")
    #: PKCE (S256) for every client, not only public ones (RFC 9700 advises it).
    require_pkce: bool = Field(default=True, validation_alias="OAUTH2_REQUIRE_PKCE")
    #: Refresh tokens are issued when the granted scope holds ``offline_access``; with this on,
    #: also to first-party clients (the app's own front ends) without it.
    first_party_refresh: bool = Field(default=True, validation_alias="OAUTH2_FIRST_PARTY_REFRESH")
    #: The password grant is off unless this is true AND the client lists it (RFC 9700 2.4).
    password_grant: bool = Field(default=False, validation_alias="OAUTH2_PASSWORD_GRANT")
    #: Most scopes one request may carry (an oversized scope list is ``invalid_scope``).
    max_scopes: int = Field(default=32, ge=1, validation_alias="OAUTH2_MAX_SCOPES")
    #: Seconds a worker keeps a client's snapshot for the token endpoint (0: no cache). Changes
    #: reach other worker processes within this delay.
    client_cache_ttl: float = Field(
        default=5, ge=0, le=300, validation_alias="OAUTH2_CLIENT_CACHE_TTL"
    )
    #: The browser session cookie of the consent and device pages.
    session_cookie: str = Field(default="foundry_oauth", validation_alias="OAUTH2_SESSION_COOKIE")
    session_ttl: int = Field(default=7200, gt=0, validation_alias="OAUTH2_SESSION_TTL")


SETTINGS = OAuth2Settings
