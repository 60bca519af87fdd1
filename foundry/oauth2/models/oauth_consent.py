"""Consents and device codes of the OAuth2 server."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model, TimestampsMixin

__all__ = ["OAuthConsent", "OAuthDeviceCode"]


class OAuthConsent(TimestampsMixin, Model):
    """The scopes a user approved for a client; asking for no more skips the consent page."""

    __tablename__ = "oauth_consents"
    __table_args__ = (UniqueConstraint("user_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True
    )
    scopes: Mapped[str] = mapped_column(String(2000), default="")


class OAuthDeviceCode(TimestampsMixin, Model):
    """RFC 8628: a device code (hashed) and the short user code typed on another screen."""

    __tablename__ = "oauth_device_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_code: Mapped[str] = mapped_column(String(16), unique=True)
    client_id: Mapped[int] = mapped_column(
        ForeignKey("oauth_clients.id", ondelete="CASCADE"), index=True
    )
    scopes: Mapped[str] = mapped_column(String(2000), default="")
    #: Set once the user approved (``denied`` when they refused).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), default=None
    )
    denied: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime]
    last_polled_at: Mapped[datetime | None] = mapped_column(default=None)
    used_at: Mapped[datetime | None] = mapped_column(default=None)
