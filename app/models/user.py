"""The ``users`` table: people who log in."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import Select, String, select
from sqlalchemy.orm import Mapped, mapped_column, validates

from app.models.concerns.has_api_tokens import HasApiTokens
from app.permissions.has_roles import HasRoles
from app.support.database import Model, SoftDeletes, TimestampsMixin, scope

__all__ = ["User", "normalize_email"]


def normalize_email(email: str) -> str:
    """Emails are unique case-insensitively: they are stored and looked up in lower case."""
    return email.strip().lower()


class User(HasRoles, HasApiTokens, TimestampsMixin, SoftDeletes, Model):
    """A user. ``password`` holds the hash, never the password, and is hidden from ``to_dict``.

    ``HasRoles`` gives roles and permissions (``await user.load_permissions(session)``, then
    ``user.has_role("admin")``, ``user.can("users.view")``); ``HasApiTokens`` personal access
    tokens (``await user.create_token(name, scopes)``).
    """

    __tablename__ = "users"

    fillable: ClassVar[frozenset[str]] = frozenset({"name", "email"})
    hidden: ClassVar[frozenset[str]] = frozenset({"password"})

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
