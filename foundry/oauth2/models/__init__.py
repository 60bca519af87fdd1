"""The OAuth2 server's tables: clients, consents, device codes, tokens and personal access tokens."""

from foundry.oauth2.models.oauth_client import OAuthClient
from foundry.oauth2.models.oauth_consent import OAuthConsent, OAuthDeviceCode, PersonalAccessToken
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
    "PersonalAccessToken",
]
