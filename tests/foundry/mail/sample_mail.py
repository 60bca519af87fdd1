"""Mailables used by the mail tests."""

from __future__ import annotations

from dataclasses import dataclass

from foundry.mail import Mailable


@dataclass
class WelcomeMail(Mailable):
    """The example in ``resources/views/emails/welcome.*.j2``: HTML and text, with the layout."""

    user_name: str
    subject = "Welcome to Foundry"
    html_template = "emails/welcome.html.j2"
    text_template = "emails/welcome.txt.j2"


@dataclass
class HtmlOnlyMail(Mailable):
    """Only an HTML template."""

    user_name: str
    subject = "HTML only"
    html_template = "emails/welcome.html.j2"


class NoTemplateMail(Mailable):
    """Forgot its templates."""

    subject = "Broken"
