"""How the application's users look in JSON."""

from __future__ import annotations

from app.models.user import User
from foundry.http.resources.user import UserResource as BaseUserResource

__all__ = ["UserResource"]


class UserResource(BaseUserResource[User]):
    """The framework's user fields (never the password hash). Add the application's own by
    overriding ``to_dict`` and extending ``super().to_dict(request)``."""
