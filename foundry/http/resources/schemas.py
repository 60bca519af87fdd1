"""The documented shapes of the framework's resources, for the OpenAPI document.

A resource names its shape with the ``schema`` class attribute (a pydantic model of what
``to_dict`` returns); :mod:`foundry.http.openapi` documents the responses of routes returning it.
A key ``to_dict`` may leave out (``when_loaded``) has a default, so it is not required.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CursorLinks",
    "CursorMeta",
    "PageLinks",
    "PageMeta",
    "PermissionData",
    "PermissionSummary",
    "RoleData",
    "RoleSummary",
    "UserData",
    "UserPermissionsData",
]


class RoleSummary(BaseModel):
    """A role as a user's ``roles`` list shows it."""

    id: int
    name: str
    guard_name: str


class PermissionSummary(BaseModel):
    """A permission as a user's permission lists show it."""

    id: int
    name: str
    guard_name: str


class UserData(BaseModel):
    """A user (never the password hash); ``roles`` with ``?include=roles``."""

    model_config = ConfigDict(title="User")

    id: int
    name: str
    email: str
    email_verified_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None
    roles: list[RoleSummary] = Field(default_factory=list)


class PermissionData(BaseModel):
    """A permission."""

    model_config = ConfigDict(title="Permission")

    id: int
    name: str
    guard_name: str
    created_at: datetime | None
    updated_at: datetime | None


class RoleData(BaseModel):
    """A role; ``permissions`` (names) when loaded."""

    model_config = ConfigDict(title="Role")

    id: int
    name: str
    guard_name: str
    team_id: int | None
    permissions: list[str] = Field(default_factory=list)
    created_at: datetime | None
    updated_at: datetime | None


class UserPermissionsData(BaseModel):
    """A user's roles and permissions: direct, via roles, and all of them."""

    model_config = ConfigDict(title="UserPermissions")

    user_id: int
    roles: list[str]
    direct_permissions: list[PermissionSummary]
    permissions_via_roles: list[PermissionSummary]
    permissions: list[str]


class PageLinks(BaseModel):
    """``links`` of a length-aware page: absolute URLs."""

    first: str
    last: str
    prev: str | None
    next: str | None


class PageMeta(BaseModel):
    """``meta`` of a length-aware page (Laravel's)."""

    model_config = ConfigDict(populate_by_name=True)

    current_page: int
    from_: int | None = Field(alias="from")
    last_page: int
    path: str
    per_page: int
    to: int | None
    total: int


class CursorLinks(BaseModel):
    """``links`` of a cursor page (``last`` is always null: unknown)."""

    first: str
    last: None
    prev: str | None
    next: str | None


class CursorMeta(BaseModel):
    """``meta`` of a cursor page."""

    path: str
    per_page: int
    next_cursor: str | None
    prev_cursor: str | None
