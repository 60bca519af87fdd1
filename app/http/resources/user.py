"""``UserResource``: how a user looks in JSON (never the password hash)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from app.http.resources.json_resource import JsonResource
from app.http.resources.permissions import role_summary
from app.models.user import User

__all__ = ["UserResource"]


class UserResource(JsonResource[User]):
    """``{"id", "name", "email", "email_verified_at", "created_at", "updated_at"}``, and
    ``roles`` when they were loaded (``?include=roles``)."""

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
