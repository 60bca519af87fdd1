"""The ``webauthn_credentials`` table: the passkeys users registered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model
from foundry.database.types import utcnow

__all__ = ["WebAuthnCredential"]


class WebAuthnCredential(Model):
    """One passkey: its public key (COSE), its signature counter and the name its user gave it.

    ``credential_id`` is the authenticator's id for it, base64url-encoded (at most 1023 bytes
    raw): what an assertion names and what passwordless sign-in looks the passkey up by.
    """

    __tablename__ = "webauthn_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    #: How the browser may reach the authenticator (``["internal", "hybrid"]``), as it reported.
    transports: Mapped[list[Any]] = mapped_column(default=list)
    name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
