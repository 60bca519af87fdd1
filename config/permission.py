"""Roles and permissions: the default guard, teams, wildcards and the registry cache.

The framework's defaults are in :class:`foundry.config.permission.PermissionSettings`; every value can be set in the
environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.permission import PermissionSettings

__all__ = ["PermissionConfig"]


class PermissionConfig(PermissionSettings):
    """This application's permission settings."""


SETTINGS = PermissionConfig
