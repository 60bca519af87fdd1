"""OAuth2 token tables: authorization codes, access-token records, refresh tokens.

Codes and refresh tokens are stored only as SHA-256 hashes. Access tokens are JWTs: the table
keeps one record per ``jti`` so a token can be listed, introspected and revoked, and so the tokens
of one authorization code or refresh family can be found when it is replayed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model, TimestampsMixin

__all__ = ["OAuthAccessToken", "OAuthAuthorizationCode", "OAuthRefreshToken"]


class OAuthAuthorizationCode(TimestampsMixin, Model):
    """A single-use code bound to its client, redirect URI, user, scopes and PKCE challenge."""

    __tablename__ = "oauth_authorization_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    redirect_uri: Mapped[str] = mapped_column(String(2000), default="")
    scopes: Mapped[str] = mapped_column(String(2000), default="")
    code_challenge: Mapped[str | None] = mapped_column(String(128), default=None)
    code_challenge_method: Mapped[str | None] = mapped_column(String(10), default=None)
    #: Set when the code was exchanged; a second exchange revokes what the first one issued.
    family_id: Mapped[str] = mapped_column(String(32), index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class OAuthAccessToken(TimestampsMixin, Model):
    """The record of one issued JWT access token (the JWT itself is not stored)."""

    __tablename__ = "oauth_access_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    jti: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )
    scopes: Mapped[str] = mapped_column(String(2000), default="")
    #: The grant family (authorization code or first refresh token) it belongs to.
    family_id: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class OAuthRefreshToken(TimestampsMixin, Model):
    """An opaque refresh token (hashed), rotated on each use; reuse revokes its family."""

    __tablename__ = "oauth_refresh_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scopes: Mapped[str] = mapped_column(String(2000), default="")
    family_id: Mapped[str] = mapped_column(String(32), index=True)
    #: The ``jti`` of the access token issued with it (revoked together).
    access_token_jti: Mapped[str | None] = mapped_column(String(64), default=None)
    expires_at: Mapped[datetime]
    rotated_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
