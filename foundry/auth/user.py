"""``AuthUser``: what the framework's guards, services and routes need of a user.

Laravel's ``Illuminate\\Foundation\\Auth\\User``: the application's ``User`` model (named in
``config/auth.py``) inherits it, and gets the sign-in columns (``Authenticatable``), roles and
permissions (``HasRoles``), personal access tokens (``HasApiTokens``) and timestamps::

    class User(AuthUser, SoftDeletes, Model):
        __tablename__ = "users"
"""

from __future__ import annotations

from foundry.auth.authenticatable import Authenticatable
from foundry.auth.has_api_tokens import HasApiTokens
from foundry.database.base import TimestampsMixin
from foundry.permissions.has_roles import HasRoles

__all__ = ["AuthUser"]


class AuthUser(Authenticatable, HasRoles, HasApiTokens, TimestampsMixin):
    """The mixins a user model needs for every framework route group (auth, OAuth2, roles)."""
