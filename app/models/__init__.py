"""The application's models. Every model is imported here so migrations see its table."""

from app.models.oauth_client import OAuthClient
from app.models.oauth_consent import OAuthConsent, OAuthDeviceCode, PersonalAccessToken
from app.models.oauth_token import OAuthAccessToken, OAuthAuthorizationCode, OAuthRefreshToken
from app.models.password_reset_token import PasswordResetToken
from app.models.refresh_token import RefreshToken
from app.models.team import Team
from app.models.user import User

__all__ = [
    "OAuthAccessToken",
    "OAuthAuthorizationCode",
    "OAuthClient",
    "OAuthConsent",
    "OAuthDeviceCode",
    "OAuthRefreshToken",
    "PasswordResetToken",
    "PersonalAccessToken",
    "RefreshToken",
    "Team",
    "User",
]
