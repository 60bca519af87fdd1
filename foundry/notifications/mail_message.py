"""``MailMessage``: Laravel's fluent mail notification, rendered with the framework's template.

```python
def to_mail(self, notifiable: Any) -> MailMessage:
    return (
        MailMessage()
        .subject("Invoice paid")
        .greeting(f"Hello {notifiable.name}!")
        .line("Your invoice has been paid.")
        .action("View invoice", url)
        .line("Thank you for using our application!")
    )
```

Lines before :meth:`action` come above the button, lines after it below. ``error()`` turns
the button red and the default greeting into "Whoops!". The message becomes a
:class:`NotificationMail` (a ``Mailable``), so the Mail battery builds, sends and fakes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Self

from foundry.mail.mailable import Mailable

__all__ = ["Level", "MailMessage", "NotificationMail"]

Level = Literal["info", "success", "error"]


@dataclass
class NotificationMail(Mailable):
    """The mailable a :class:`MailMessage` renders as (``notifications/email`` templates)."""

    level: Level = "info"
    greeting: str | None = None
    intro_lines: list[str] = field(default_factory=list)
    action_text: str | None = None
    action_url: str | None = None
    outro_lines: list[str] = field(default_factory=list)
    salutation: str | None = None
    html_template = "notifications/email.html.j2"
    text_template = "notifications/email.txt.j2"


class MailMessage:
    """A mail notification built line by line; see the module docstring."""

    def __init__(self) -> None:
        self._mail = NotificationMail()
        #: The mailer to send through (``None``: ``MAIL_MAILER``).
        self.mailer_name: str | None = None

    def subject(self, subject: str) -> Self:
        """The subject line (default: the notification's class name in words)."""
        self._mail.with_subject(subject)
        return self

    def greeting(self, greeting: str) -> Self:
        """The opening line (default: "Hello!", or "Whoops!" for an error)."""
        self._mail.greeting = greeting
        return self

    def line(self, line: str) -> Self:
        """A paragraph: above the action button, or below it once :meth:`action` was called."""
        if self._mail.action_text is None:
            self._mail.intro_lines.append(line)
        else:
            self._mail.outro_lines.append(line)
        return self

    def lines(self, *lines: str) -> Self:
        """Several paragraphs (see :meth:`line`)."""
        for line in lines:
            self.line(line)
        return self

    def action(self, text: str, url: str) -> Self:
        """The call-to-action button (one per message)."""
        self._mail.action_text = text
        self._mail.action_url = url
        return self

    def salutation(self, salutation: str) -> Self:
        """The closing (default: "Regards," and the app name)."""
        self._mail.salutation = salutation
        return self

    def level(self, level: Level) -> Self:
        """``info`` (default), ``success`` or ``error``: the button's colour."""
        self._mail.level = level
        return self

    def success(self) -> Self:
        """A green button."""
        return self.level("success")

    def error(self) -> Self:
        """A red button and a "Whoops!" greeting."""
        return self.level("error")

    def mailer(self, name: str) -> Self:
        """Send through the mailer called ``name``."""
        self.mailer_name = name
        return self

    def from_(self, address: str, name: str | None = None) -> Self:
        """Send from ``address`` instead of ``MAIL_FROM_ADDRESS``."""
        self._mail.from_(address, name)
        return self

    def reply_to(self, address: str, name: str | None = None) -> Self:
        """Add a ``Reply-To`` address."""
        self._mail.reply_to(address, name)
        return self

    def cc(self, address: str, name: str | None = None) -> Self:
        """Add a ``Cc`` recipient."""
        self._mail.cc(address, name)
        return self

    def bcc(self, address: str, name: str | None = None) -> Self:
        """Add a blind copy."""
        self._mail.bcc(address, name)
        return self

    def attach_data(self, content: bytes, name: str, *, mime_type: str | None = None) -> Self:
        """Attach ``content`` as a file called ``name``."""
        self._mail.attach_data(content, name, mime_type=mime_type)
        return self

    def mailable(self) -> NotificationMail:
        """The mailable this message renders as."""
        return self._mail
