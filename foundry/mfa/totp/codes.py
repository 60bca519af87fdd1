"""TOTP arithmetic (RFC 6238) with pyotp: secrets, the provisioning URI and QR code, and which
time step a code belongs to."""

from __future__ import annotations

import hmac
import re
from typing import Final

import pyotp
import segno

__all__ = ["DIGITS", "INTERVAL", "WINDOW", "TotpCodes"]

#: Digits per code; what every authenticator app shows by default.
DIGITS: Final = 6
#: Seconds per time step.
INTERVAL: Final = 30
#: Steps accepted either side of the current one, for clocks that drift and codes typed late.
WINDOW: Final = 1


class TotpCodes:
    """The codes of one base32 ``secret``.

    Only RFC 6238's defaults (SHA-1, 6 digits, 30 seconds) are used: they are what every
    authenticator app supports, and some apps ignore other values in the URI.
    """

    def __init__(self, secret: str) -> None:
        self._totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL)
        self._pattern = re.compile(rf"[0-9]{{{DIGITS}}}")

    @staticmethod
    def new_secret() -> str:
        """A fresh random secret: 32 base32 characters (160 bits, RFC 4226's recommendation)."""
        return pyotp.random_base32()

    @property
    def secret(self) -> str:
        """The base32 secret, for people who type it into their app."""
        return self._totp.secret

    def uri(self, account: str, issuer: str) -> str:
        """The ``otpauth://totp/...`` URI an authenticator app scans (``issuer``: the app)."""
        return self._totp.provisioning_uri(name=account, issuer_name=issuer)

    @staticmethod
    def qr_code(uri: str) -> str:
        """``uri`` as a QR code: an SVG ``data:`` URI an ``<img src>`` shows as it is."""
        return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)

    def step_at(self, timestamp: float) -> int:
        """The time step ``timestamp`` (Unix seconds) falls in."""
        return int(timestamp // INTERVAL)

    def code_for_step(self, step: int) -> str:
        """The code of time step ``step``."""
        return self._totp.generate_otp(step)

    def matching_step(self, code: object, timestamp: float) -> int | None:
        """The step within :data:`WINDOW` of ``timestamp`` whose code is ``code``, if any.

        Anything but a string of :data:`DIGITS` ASCII digits matches nothing. Every step of the
        window is compared, in constant time, so the answer's timing tells nothing.
        """
        if not isinstance(code, str) or self._pattern.fullmatch(code) is None:
            return None
        current = self.step_at(timestamp)
        found = None
        for step in range(current - WINDOW, current + WINDOW + 1):
            if hmac.compare_digest(self.code_for_step(step), code):
                found = step
        return found
