"""The ``revoked_tokens`` table: revocations that must outlive the cache.

The denylist answers from the cache, but a cache may restart empty (Redis without persistence, a
``FLUSHALL``, an evicted key); a revocation lost that way would let a logged-out token work
again. So every revocation is also a row here, kept until nothing it denies can still be
presented, and read back whenever the cache has no answer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from foundry.database import Model

__all__ = ["RevokedToken"]


class RevokedToken(Model):
    """One revocation: what ``kind`` of thing it denies (see :mod:`foundry.auth.revocations`),
    its ``key``, when it was made and when it may be forgotten."""

    __tablename__ = "revoked_tokens"
    __table_args__ = (Index("ix_revoked_tokens_kind_key", "kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``jti`` (one access token), ``sid`` (one login) or ``user`` (a user's browser sessions).
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(255))
    revoked_at: Mapped[datetime]
    #: After this, what the row denies has expired anyway: ``auth:prune-revocations`` deletes it.
    expires_at: Mapped[datetime] = mapped_column(index=True)
