"""Errors of the SMS factor that reach the client."""

from __future__ import annotations

from foundry.kernel.outages import ServiceUnavailableError

__all__ = ["SmsNotSentError"]


class SmsNotSentError(ServiceUnavailableError):
    """503: the SMS provider refused the code or could not be reached; try again shortly."""

    error = "sms_not_sent"
    default_message = "The code could not be sent by SMS. Please try again shortly."
