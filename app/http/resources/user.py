"""``UserResource``: how a user looks in JSON (never the password hash)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from app.http.resources.json_resource import JsonResource
from app.models.user import User

__all__ = ["UserResource"]


class UserResource(JsonResource[User]):
    """``{"id", "name", "email", "email_verified_at", "created_at", "updated_at"}``."""

    def to_dict(self, request: Request) -> dict[str, Any]:
        user = self.resource
        return {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "email_verified_at": user.email_verified_at,
            "created_at": user.created_at,
            "updated_at": user.updated_at,
        }
