"""MFA events, dispatched by the factors and flows: the audit trail and the activity log listen.

They carry the user, the method (a :attr:`SecondFactor.name`) and the client that acted: never a
code, a secret or an assertion.
"""

from __future__ import annotations

from dataclasses import dataclass

from foundry.auth.user import AuthUser
from foundry.mfa.factors import MfaClient

__all__ = [
    "MfaDisabled",
    "MfaEnrolled",
    "MfaFailed",
    "MfaLockedOut",
    "MfaReset",
    "MfaVerified",
    "RecoveryCodeUsed",
]


@dataclass(frozen=True)
class MfaEnrolled:
    """A factor was confirmed (a TOTP app, a phone number, a passkey named ``label``)."""

    user: AuthUser
    method: str
    client: MfaClient
    label: str | None = None


@dataclass(frozen=True)
class MfaDisabled:
    """A factor was removed by its user."""

    user: AuthUser
    method: str
    client: MfaClient
    label: str | None = None


@dataclass(frozen=True)
class MfaVerified:
    """A second factor was proved (at login or for step-up)."""

    user: AuthUser
    method: str
    client: MfaClient


@dataclass(frozen=True)
class MfaFailed:
    """A second-factor proof was refused."""

    user: AuthUser
    method: str
    client: MfaClient


@dataclass(frozen=True)
class RecoveryCodeUsed:
    """A recovery code was spent; ``remaining`` are left."""

    user: AuthUser
    remaining: int
    client: MfaClient


@dataclass(frozen=True)
class MfaLockedOut:
    """Too many failed proofs: the user's second-factor attempts are throttled."""

    user: AuthUser
    client: MfaClient


@dataclass(frozen=True)
class MfaReset:
    """Support staff removed every factor of ``user`` (``artisan mfa:reset``)."""

    user: AuthUser
    reason: str | None = None
