"""Authentication: the user model, password rules and the password hasher.

The framework's defaults are in :class:`foundry.config.auth.AuthSettings`; every value can be set in the
environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.auth import AuthSettings

__all__ = ["AuthConfig"]


class AuthConfig(AuthSettings):
    """This application's auth settings."""


SETTINGS = AuthConfig
