"""Form requests of the roles and permissions admin API."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from foundry.http.ids import MAX_RECORD_ID
from foundry.http.requests.form_request import FormRequest

__all__ = [
    "PermissionNamesRequest",
    "RoleNamesRequest",
    "StorePermissionRequest",
    "StoreRoleRequest",
    "UpdatePermissionRequest",
    "UpdateRoleRequest",
]

#: A role or permission name: 1-255 characters, surrounding blanks refused.
Name = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^\S(.*\S)?$")]


class StoreRoleRequest(FormRequest):
    """``name``, optional ``guard_name``, ``permissions`` (names) and ``team_id``."""

    name: Name
    guard_name: Name | None = None
    permissions: list[Name] = Field(default_factory=list, max_length=1000)
    # Bounded like every id: a larger one overflows the database's integer (a 500, not a 422).
    team_id: int | None = Field(default=None, ge=1, le=MAX_RECORD_ID)


class UpdateRoleRequest(FormRequest):
    """A new ``name`` and/or the full list of ``permissions``."""

    name: Name | None = None
    permissions: list[Name] | None = Field(default=None, max_length=1000)


class StorePermissionRequest(FormRequest):
    """``name`` and optional ``guard_name``."""

    name: Name
    guard_name: Name | None = None


class UpdatePermissionRequest(FormRequest):
    """A new ``name``."""

    name: Name


class RoleNamesRequest(FormRequest):
    """``roles``: role names of the user's guard."""

    roles: list[Name] = Field(max_length=1000)


class PermissionNamesRequest(FormRequest):
    """``permissions``: permission names of the user's guard."""

    permissions: list[Name] = Field(max_length=1000)
