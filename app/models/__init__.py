"""The application's models. Every model is imported here so migrations see its table."""

from app.models.password_reset_token import PasswordResetToken
from app.models.refresh_token import RefreshToken
from app.models.team import Team
from app.models.user import User

__all__ = ["PasswordResetToken", "RefreshToken", "Team", "User"]
