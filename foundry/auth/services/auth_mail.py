"""The mails the auth use cases send: password reset and email verification links."""

from __future__ import annotations

from dataclasses import dataclass

from foundry.mail import Mailable

__all__ = ["ResetPasswordMail", "VerifyEmailMail"]


@dataclass
class ResetPasswordMail(Mailable):
    """A link to reset the password; ``url`` carries the single-use token."""

    user_name: str
    url: str
    minutes: int
    subject = "Reset Password Notification"
    html_template = "emails/reset_password.html.j2"
    text_template = "emails/reset_password.txt.j2"


@dataclass
class VerifyEmailMail(Mailable):
    """A signed, expiring link that confirms the address."""

    user_name: str
    url: str
    minutes: int
    subject = "Verify Email Address"
    html_template = "emails/verify_email.html.j2"
    text_template = "emails/verify_email.txt.j2"
