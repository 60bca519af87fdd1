"""``UserResource``: how a user looks in JSON (never the password hash)."""

from __future__ import annotations

from typing import Any, TypeVar

from starlette.requests import Request

from foundry.auth.user import AuthUser
from foundry.http.resources.json_resource import JsonResource
from foundry.http.resources.permissions import role_summary
from foundry.http.resources.schemas import UserData

__all__ = ["UserResource"]

UserT = TypeVar("UserT", bound=AuthUser)


class UserResource(JsonResource[UserT]):
    """``{"id", "name", "email", "email_verified_at", "created_at", "updated_at"}``, and
    ``roles`` when they were loaded (``?include=roles``).

    Generic in the user model, so the application's resource names its own ``User``:
    ``class UserResource(foundry.http.resources.user.UserResource[User])``."""

    schema = UserData

    def to_dict(self, request: Request) -> dict[str, Any]:
        user = self.resource
        return {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "email_verified_at": user.email_verified_at,
            "created_at": user.created_at,
            "updated_at": user.updated_at,
            "roles": self.when_loaded("roles", lambda: [role_summary(r) for r in user.roles]),
        }
