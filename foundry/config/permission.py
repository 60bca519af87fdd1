"""Roles and permissions: the default guard, teams, wildcards and the registry cache."""

from __future__ import annotations

from pydantic import Field

from foundry.config.base import Settings


class PermissionSettings(Settings):
    """``PERMISSION_*`` variables (Spatie's ``config/permission.php``).

    The registry (every role, permission and role-permission link) is kept in each process and
    shared through the cache store ``PERMISSION_CACHE_STORE`` (empty: ``CACHE_STORE``). Any change
    bumps a version key in that store, which every process compares once per request.
    """

    #: The guard a role or permission belongs to when none is named (Laravel's default guard).
    guard: str = Field(default="api", min_length=1, validation_alias="PERMISSION_GUARD")
    #: Roles and permissions scoped to a team (``X-Team-ID`` header per request).
    teams: bool = Field(default=False, validation_alias="PERMISSION_TEAMS")
    #: The request header naming the current team when teams are on.
    team_header: str = Field(default="X-Team-ID", validation_alias="PERMISSION_TEAM_HEADER")
    #: ``articles.*``, ``articles.edit,delete`` and ``*`` permissions.
    wildcard: bool = Field(default=False, validation_alias="PERMISSION_WILDCARD")
    #: The cache store shared by the processes; empty means the default ``CACHE_STORE``.
    cache_store: str = Field(default="", validation_alias="PERMISSION_CACHE_STORE")
    #: The key of the cached registry; the version key is this plus ``.version``.
    cache_key: str = Field(
        default="foundry.permission.cache", min_length=1, validation_alias="PERMISSION_CACHE_KEY"
    )
    #: How long the shared copy lives, in seconds (Spatie: 24 hours).
    cache_ttl: int = Field(default=86400, gt=0, validation_alias="PERMISSION_CACHE_TTL")


SETTINGS = PermissionSettings
