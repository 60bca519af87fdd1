"""TOTP (RFC 6238): authenticator apps as a second factor.

Enrol (``TotpService.enrol``: an ``otpauth://`` URI, its QR code and the secret), confirm with a
first code, then ``TotpFactor`` proves the user at login and for step-up. Codes are good once.
"""

from foundry.mfa.totp.codes import DIGITS, INTERVAL, WINDOW, TotpCodes
from foundry.mfa.totp.factor import TotpFactor
from foundry.mfa.totp.service import TotpEnrolment, TotpService

__all__ = [
    "DIGITS",
    "INTERVAL",
    "WINDOW",
    "TotpCodes",
    "TotpEnrolment",
    "TotpFactor",
    "TotpService",
]
