"""The mail battery's exceptions."""

from __future__ import annotations

__all__ = [
    "InvalidAddressError",
    "MailError",
    "MailTemplateError",
    "MailTransportError",
    "UnknownMailerError",
]


class MailError(Exception):
    """Base class of every mail error."""


class InvalidAddressError(MailError, ValueError):
    """An email address that cannot be sent to; raised before anything is sent."""


class UnknownMailerError(MailError, LookupError):
    """A mailer name that is neither built in nor added with ``MailManager.extend``."""


class MailTemplateError(MailError):
    """A mailable without a template, or a template that is missing or fails to render."""


class MailTransportError(MailError):
    """The mail server refused the message or could not be reached.

    The message names the server and the reason, never the credentials.
    """
