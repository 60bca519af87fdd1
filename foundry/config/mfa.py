"""MFA settings: who must enrol a second factor, which factors count, and the flows' limits."""

from __future__ import annotations

from pydantic import Field

from foundry.config.base import Settings

__all__ = ["MfaSettings", "SETTINGS"]


class MfaSettings(Settings):
    """``MFA_*`` variables.

    Lists are JSON in the environment (``MFA_REQUIRED_ROLES='["admin"]'``).
    """

    #: Users holding one of these roles must enrol a second factor; everyone else may.
    required_roles: list[str] = Field(
        default_factory=lambda: ["admin", "super-admin"], validation_alias="MFA_REQUIRED_ROLES"
    )
    #: Days a user who must enrol may still log in fully without a factor, counted from the
    #: account's creation; after them login answers a token that can only enrol.
    grace_days: int = Field(default=7, ge=0, validation_alias="MFA_GRACE_DAYS")
    #: The factors users may use (``totp``, ``sms``, ``webauthn``); empty: every registered one.
    #: Recovery codes are always allowed once another factor is enrolled.
    methods: list[str] = Field(default_factory=list, validation_alias="MFA_METHODS")
    #: Seconds an ``mfa_token`` (between the password and the second factor) stays valid.
    login_token_ttl: int = Field(default=300, ge=30, le=3600, validation_alias="MFA_LOGIN_TTL")
    #: Wrong second-factor answers one ``mfa_token`` allows before it is spent.
    token_attempts: int = Field(default=5, ge=1, validation_alias="MFA_TOKEN_ATTEMPTS")
    #: Wrong second-factor answers a user may give in ``lockout_seconds`` before 429.
    lockout_attempts: int = Field(default=10, ge=1, validation_alias="MFA_LOCKOUT_ATTEMPTS")
    lockout_seconds: int = Field(default=900, ge=1, validation_alias="MFA_LOCKOUT_SECONDS")
    #: How recent (seconds) a second factor must be for ``require_mfa()`` routes by default.
    step_up_max_age: int = Field(default=900, ge=1, validation_alias="MFA_STEP_UP_MAX_AGE")
    #: Lifetime (seconds) of the enrolment-only token; capped by ``JWT_ACCESS_TTL``.
    enrolment_token_ttl: int = Field(default=900, ge=60, validation_alias="MFA_ENROLMENT_TTL")
    #: How many recovery codes a user gets.
    recovery_codes: int = Field(default=10, ge=1, le=50, validation_alias="MFA_RECOVERY_CODES")


SETTINGS = MfaSettings
