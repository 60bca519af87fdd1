"""Multi-factor authentication: second factors (TOTP, SMS codes, passkeys, recovery codes), the
login and step-up flows that ask for them, the policy of who must enrol, and their audit trail.

Each factor is a :class:`SecondFactor` added to the :class:`SecondFactorRegistry` by its
provider; the login flow asks every registered factor whether the user enrolled it, so a new
factor needs no change to the flow.
"""

from foundry.mfa.events import (
    MfaDisabled,
    MfaEnrolled,
    MfaFailed,
    MfaLockedOut,
    MfaReset,
    MfaVerified,
    RecoveryCodeUsed,
)
from foundry.mfa.factors import MfaClient, SecondFactor, SecondFactorRegistry

__all__ = [
    "MfaClient",
    "MfaDisabled",
    "MfaEnrolled",
    "MfaFailed",
    "MfaLockedOut",
    "MfaReset",
    "MfaVerified",
    "RecoveryCodeUsed",
    "SecondFactor",
    "SecondFactorRegistry",
]
