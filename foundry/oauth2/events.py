"""OAuth2 audit events: one per grant, decision and failure. They never carry a token or secret.

Listen to :class:`OAuth2Event` to receive all of them (listeners of a base class receive
subclasses).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AccessTokenCreated",
    "AuthorizationApproved",
    "AuthorizationDenied",
    "ClientCreated",
    "ClientRevoked",
    "ClientSecretRegenerated",
    "ClientUpdated",
    "OAuth2Event",
    "OAuth2RequestFailed",
    "PersonalAccessTokenCreated",
    "RefreshTokenReused",
    "AuthorizationCodeReused",
    "TokenRevoked",
]


@dataclass(frozen=True)
class OAuth2Event:
    """Base of every OAuth2 event."""

    client_id: str | None


@dataclass(frozen=True)
class AccessTokenCreated(OAuth2Event):
    """A token was issued through ``grant_type`` (``jti`` names the access token)."""

    grant_type: str
    user_id: int | None
    scope: str
    jti: str


@dataclass(frozen=True)
class OAuth2RequestFailed(OAuth2Event):
    """A token, introspection, revocation or authorization request was refused."""

    endpoint: str
    error: str
    grant_type: str | None = None
    ip: str | None = None


@dataclass(frozen=True)
class AuthorizationCodeReused(OAuth2Event):
    """A spent code was presented again: what it issued is revoked."""

    family_id: str


@dataclass(frozen=True)
class RefreshTokenReused(OAuth2Event):
    """A rotated refresh token was presented again: its family is revoked."""

    family_id: str


@dataclass(frozen=True)
class AuthorizationApproved(OAuth2Event):
    """A user approved a client (or consent was remembered or skipped)."""

    user_id: int
    scope: str
    remembered: bool = False


@dataclass(frozen=True)
class AuthorizationDenied(OAuth2Event):
    """A user refused a client."""

    user_id: int


@dataclass(frozen=True)
class TokenRevoked(OAuth2Event):
    """A token was revoked (RFC 7009 or a personal access token)."""

    token_type: str


@dataclass(frozen=True)
class ClientCreated(OAuth2Event):
    """A client was registered."""

    name: str


@dataclass(frozen=True)
class ClientUpdated(OAuth2Event):
    """A client was renamed or its redirect URIs were replaced."""


@dataclass(frozen=True)
class ClientSecretRegenerated(OAuth2Event):
    """A confidential client was given a new secret (the old one stopped working)."""


@dataclass(frozen=True)
class ClientRevoked(OAuth2Event):
    """A client was revoked with every token it held."""


@dataclass(frozen=True)
class PersonalAccessTokenCreated(OAuth2Event):
    """A user made a personal access token (its id and name; never the token)."""

    user_id: int
    token_id: int
    name: str
