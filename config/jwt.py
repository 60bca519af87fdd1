"""JWT: issuer, audience, access-token lifetime, clock leeway and where the keys live.

The framework's defaults are in :class:`foundry.config.jwt.JwtSettings`; every value can be set in the
environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.jwt import JwtSettings

__all__ = ["JwtConfig"]


class JwtConfig(JwtSettings):
    """This application's jwt settings."""


SETTINGS = JwtConfig
