"""The application's models. Every model is imported here so migrations see its table."""

from app.models.user import User

__all__ = ["User"]
