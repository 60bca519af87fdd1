"""``Authenticatable``: the columns and look-ups every user model the framework signs in has.

Laravel's ``Illuminate\\Foundation\\Auth\\User``: the application's ``User`` (named in
``config/auth.py``) opts into it, next to ``HasRoles`` and ``HasApiTokens``::

    class User(Authenticatable, HasRoles, HasApiTokens, TimestampsMixin, SoftDeletes, Model):
        __tablename__ = "users"

Its columns are declared here as a declarative mixin, so each model that inherits it gets its own
copies; the framework never imports the application's class, it asks the
:class:`~foundry.auth.user_provider.UserProvider` for it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, select
from sqlalchemy.orm import Mapped, mapped_column, validates

from foundry.database.scopes import scope

__all__ = ["Authenticatable", "normalize_email"]


def normalize_email(email: str) -> str:
    """Emails are unique case-insensitively: they are stored and looked up in lower case."""
    return email.strip().lower()


class Authenticatable:
    """A person who signs in: ``id``, ``name``, ``email`` (lower case), ``password`` (the hash).

    ``password`` holds the hash, never the password; hide it from serialization with the model's
    ``hidden`` set.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(255), unique=True)
    password: Mapped[str] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None] = mapped_column(default=None)

    @validates("email")
    def _lower_case_email(self, _key: str, value: str) -> str:
        return normalize_email(value)

    @property
    def has_verified_email(self) -> bool:
        """Whether the user confirmed their address."""
        return self.email_verified_at is not None

    @classmethod
    @scope
    def scope_email(cls, email: str, stmt: Select[Any] | None = None) -> Select[Any]:
        """Rows whose email equals ``email``, compared case-insensitively."""
        base = select(cls) if stmt is None else stmt
        return base.where(cls.email == normalize_email(email))

    @classmethod
    @scope
    def scope_verified(cls, value: str | bool, stmt: Select[Any] | None = None) -> Select[Any]:
        """Verified users (``True``/``"true"``/``"1"``) or unverified ones (anything else)."""
        base = select(cls) if stmt is None else stmt
        wanted = value is True or str(value).lower() in ("1", "true")
        column = cls.email_verified_at
        return base.where(column.is_not(None) if wanted else column.is_(None))
