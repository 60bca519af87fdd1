"""The ``users`` table: people who log in."""

from __future__ import annotations

from typing import ClassVar

from foundry.auth.user import AuthUser
from foundry.database import Model, SoftDeletes
from foundry.mfa.has_mfa import HasMfa
from foundry.notifications import Notifiable

__all__ = ["User"]


class User(AuthUser, HasMfa, Notifiable, SoftDeletes, Model):
    """A user. ``AuthUser`` gives the columns the framework signs in with (``name``, ``email``,
    ``password`` as a hash, ``email_verified_at``), timestamps, the ``email`` and ``verified``
    scopes, roles and permissions (``await user.load_permissions(session)``, then
    ``user.has_role("admin")``, ``user.can("users.view")``) and personal access tokens
    (``await user.create_token(name, scopes)``); ``HasMfa`` its second factors
    (``await user.mfa_methods()``, ``await user.has_mfa()``). Add the application's own columns and
    relationships here.
    """

    __tablename__ = "users"

    fillable: ClassVar[frozenset[str]] = frozenset({"name", "email"})
    hidden: ClassVar[frozenset[str]] = frozenset({"password"})
