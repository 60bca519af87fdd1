"""The OAuth2 server's tables: clients, consents, device codes and tokens."""

from foundry.oauth2.models.oauth_client import OAuthClient
from foundry.oauth2.models.oauth_consent import OAuthConsent, OAuthDeviceCode
from foundry.oauth2.models.oauth_token import (
    OAuthAccessToken,
    OAuthAuthorizationCode,
    OAuthRefreshToken,
)

__all__ = [
    "OAuthAccessToken",
    "OAuthAuthorizationCode",
    "OAuthClient",
    "OAuthConsent",
    "OAuthDeviceCode",
    "OAuthRefreshToken",
]
