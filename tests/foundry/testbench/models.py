"""The test application's only model: a ``User`` as the project skeleton ships it."""

from __future__ import annotations

from typing import ClassVar

from foundry.auth.user import AuthUser
from foundry.database import Model, SoftDeletes
from foundry.notifications import Notifiable

__all__ = ["User"]


class User(AuthUser, Notifiable, SoftDeletes, Model):
    """The framework's user columns, soft deletes, and the password kept out of ``to_dict``."""

    __tablename__ = "users"

    fillable: ClassVar[frozenset[str]] = frozenset({"name", "email"})
    hidden: ClassVar[frozenset[str]] = frozenset({"password"})
