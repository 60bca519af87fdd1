"""MFA: the roles that must enrol a second factor, the grace period and the allowed methods.

The framework's defaults are in :class:`foundry.config.mfa.MfaSettings`; every value can be set in
the environment or ``.env``. Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.mfa import MfaSettings

__all__ = ["MfaConfig"]


class MfaConfig(MfaSettings):
    """This application's MFA settings."""


SETTINGS = MfaConfig
