"""Turning a :class:`Mailable` into an ``EmailMessage`` and the SMTP envelope to send it with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from foundry.config.mail import MailSettings
from foundry.mail.address import Address, parse_address
from foundry.mail.errors import InvalidAddressError, MailTemplateError
from foundry.mail.mailable import Mailable, PendingAddress
from foundry.mail.views import MailViews

__all__ = ["Envelope", "MessageBuilder", "SentMessage", "message_body"]


@dataclass(frozen=True, slots=True)
class Envelope:
    """Who the SMTP server is told the message is from and to (blind copies included)."""

    sender: str
    recipients: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A message a mailer delivered: the mailable, what was built from it, and the mailer."""

    mailable: Mailable
    message: EmailMessage
    envelope: Envelope
    mailer: str

    @property
    def text(self) -> str | None:
        """The plain-text body, if the message has one."""
        return message_body(self.message, "plain")

    @property
    def html(self) -> str | None:
        """The HTML body, if the message has one."""
        return message_body(self.message, "html")


class MessageBuilder:
    """Validates a mailable's addresses, renders its templates and assembles the message."""

    def __init__(
        self, settings: MailSettings, views: MailViews, *, allow_test_domains: bool = False
    ) -> None:
        self.settings = settings
        self.views = views
        self.allow_test_domains = allow_test_domains

    def build(self, mailable: Mailable) -> tuple[EmailMessage, Envelope]:
        """The message and its envelope.

        Raises:
            InvalidAddressError: an address is malformed, or there is no recipient at all.
            MailTemplateError: the mailable has no template, or one fails to render.
        """
        parts = mailable.parts
        sender = self._address(parts.sender or (self.settings.from_address, None))
        if parts.sender is None and self.settings.from_name:
            sender = Address(sender.email, self.settings.from_name)
        to = [self._address(item) for item in parts.to]
        cc = [self._address(item) for item in parts.cc]
        bcc = [self._address(item) for item in parts.bcc]
        reply_to = [self._address(item) for item in parts.reply_to]
        if not (to or cc or bcc):
            raise InvalidAddressError(f"{type(mailable).__qualname__} has no recipients")

        message = EmailMessage()
        subject = mailable.build_subject()
        message["Subject"] = subject
        message["From"] = sender.header()
        if to:
            message["To"] = [address.header() for address in to]
        if cc:
            message["Cc"] = [address.header() for address in cc]
        if reply_to:
            message["Reply-To"] = [address.header() for address in reply_to]
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = make_msgid(domain=sender.email.rpartition("@")[2])
        self._set_bodies(message, mailable, subject)
        for attachment in parts.attachments:
            message.add_attachment(
                attachment.content,
                maintype=attachment.maintype,
                subtype=attachment.subtype,
                filename=attachment.filename,
            )
        recipients = tuple(dict.fromkeys(address.email for address in (*to, *cc, *bcc)))
        return message, Envelope(sender.email, recipients)

    def _address(self, item: PendingAddress) -> Address:
        value, name = item
        return parse_address(value, name, allow_test_domains=self.allow_test_domains)

    def _set_bodies(self, message: EmailMessage, mailable: Mailable, subject: str) -> None:
        if mailable.html_template is None and mailable.text_template is None:
            raise MailTemplateError(
                f"{type(mailable).__qualname__} sets neither html_template nor text_template"
            )
        context = {**mailable.context(), "subject": subject}
        text = html = None
        if mailable.text_template is not None:
            text = self.views.render(mailable.text_template, context)
        if mailable.html_template is not None:
            html = self.views.render(mailable.html_template, context)
        if text is not None:
            message.set_content(text)
            if html is not None:
                message.add_alternative(html, subtype="html")
        elif html is not None:
            message.set_content(html, subtype="html")


def message_body(message: EmailMessage, subtype: str) -> str | None:
    """The ``text/<subtype>`` body of ``message`` (``plain`` or ``html``), if it has one."""
    part = message.get_body(preferencelist=(subtype,))
    if part is None or not isinstance(part, EmailMessage):
        return None
    return str(part.get_content())
