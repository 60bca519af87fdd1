"""The ``oauth_clients`` table: applications allowed to ask for tokens.

A confidential client holds a secret, stored only as its SHA-256 (the secret carries 256 random
bits, so a slow hash adds nothing); a public client (SPA, mobile, CLI) has none and must use PKCE.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model, TimestampsMixin

__all__ = ["OAuthClient"]


class OAuthClient(TimestampsMixin, Model):
    """One registered client; ``client_id`` is the public identifier, ``id`` stays internal."""

    __tablename__ = "oauth_clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    #: Hex SHA-256 of the secret; ``None`` for a public client.
    secret_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    grant_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Space-separated scopes the client may ask for (empty: none).
    scopes: Mapped[str] = mapped_column(String(2000), default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    #: First-party clients (your own SPA) skip the consent screen.
    first_party: Mapped[bool] = mapped_column(Boolean, default=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, default=None
    )
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def scope_list(self) -> list[str]:
        """The allowed scopes as a list."""
        return self.scopes.split()

    @property
    def revoked(self) -> bool:
        """Whether the client was revoked (it can get no token any more)."""
        return self.revoked_at is not None
