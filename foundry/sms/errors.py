"""The SMS battery's exceptions."""

from __future__ import annotations

__all__ = [
    "InvalidPhoneNumberError",
    "SmsConfigurationError",
    "SmsError",
    "SmsTransportError",
    "UnknownSmsDriverError",
]


class SmsError(Exception):
    """Base class of every SMS error."""


class InvalidPhoneNumberError(SmsError, ValueError):
    """A recipient that is not an E.164 number, or an empty message; raised before sending."""


class UnknownSmsDriverError(SmsError, LookupError):
    """A driver name that is neither built in nor added with ``SmsManager.extend``."""


class SmsConfigurationError(SmsError):
    """A driver is missing a setting it needs (``TWILIO_SID`` for the ``twilio`` driver...)."""


class SmsTransportError(SmsError):
    """The provider refused the message or could not be reached.

    The message names the provider's URL and its reason, never the credentials.
    """
