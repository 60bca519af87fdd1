"""The user provider: how the framework finds, creates and loads the application's users.

Laravel's ``auth.providers.users.model``: the model class is named by ``AUTH_MODEL`` (the app's
``config/auth.py``), imported once when the provider is built, and must inherit
:class:`~foundry.auth.user.AuthUser` and be a mapped model.
"""

from __future__ import annotations

import importlib
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.config.auth import AuthSettings
from foundry.database.model import Model

__all__ = ["MAX_USER_ID", "UserProvider", "load_user_model"]

#: The largest id of the ``users`` table's 32-bit ``integer`` key.
MAX_USER_ID = 2**31 - 1


def load_user_model(path: str) -> type[AuthUser]:
    """The class at ``path`` (``"app.models.user.User"``), checked to be a user model."""
    module_name, _, attr = path.rpartition(".")
    try:
        found = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError, ValueError) as exc:
        raise LookupError(f"AUTH_MODEL {path!r} does not name a class: {exc}") from None
    if not (isinstance(found, type) and issubclass(found, AuthUser) and issubclass(found, Model)):
        raise TypeError(f"AUTH_MODEL {path!r} must be a Model that inherits AuthUser")
    return found


class UserProvider:
    """The user model of the application, and the look-ups the guards and services make."""

    def __init__(self, settings: AuthSettings) -> None:
        self.model = load_user_model(settings.model)

    def make(self, **attributes: Any) -> AuthUser:
        """A new, unsaved user with ``attributes`` set."""
        return cast(AuthUser, cast(Any, self.model)(**attributes))

    async def find(self, session: AsyncSession, user_id: int) -> AuthUser | None:
        """The user with ``user_id`` (not soft-deleted), or None (also for an id no row can have,
        such as a forged token's ``sub`` beyond the column's range)."""
        if not 1 <= user_id <= MAX_USER_ID:
            return None
        return await session.get(self.model, user_id)

    async def find_by_email(self, session: AsyncSession, email: str) -> AuthUser | None:
        """The user whose email is ``email`` (any case), or None."""
        found = await session.scalars(self.model.scope_email(email))
        user = found.one_or_none()
        return user if isinstance(user, self.model) else None
