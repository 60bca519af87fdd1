"""The OAuth2 server: issuer, scopes, token lifetimes.

The framework's defaults are in :class:`foundry.config.oauth2.OAuth2Settings`; every value can be set in the
environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.oauth2 import OAuth2Settings

__all__ = ["OAuth2Config"]


class OAuth2Config(OAuth2Settings):
    """This application's oauth2 settings."""


SETTINGS = OAuth2Config
