"""The ``log`` mailer (the default): writes each message to the ``foundry.mail`` logger."""

from __future__ import annotations

import logging
from email.message import EmailMessage

from foundry.mail.mailer import Mailer
from foundry.mail.message import Envelope, message_body

__all__ = ["LogMailer", "logger"]

logger = logging.getLogger("foundry.mail")


class LogMailer(Mailer):
    """Logs the envelope, the subject and the text body at INFO; nothing leaves the machine.

    Attachments are listed by name, type and size, never their bytes. With no text body the HTML
    body is logged instead, so a developer can still follow the links in it.
    """

    async def deliver(self, message: EmailMessage, envelope: Envelope) -> None:
        """Write one INFO record describing ``message``."""
        attachments = [
            f"{part.get_filename()} ({part.get_content_type()}, "
            f"{len(part.get_payload(decode=True) or b'')} bytes)"
            for part in message.iter_attachments()
        ]
        text = message_body(message, "plain")
        body = text if text is not None else (message_body(message, "html") or "")
        logger.info(
            "Mail via %r from %s to %s: %s\n%s%s",
            self.name,
            envelope.sender,
            ", ".join(envelope.recipients),
            message["Subject"],
            body,
            "".join(f"\n[attachment] {line}" for line in attachments),
            extra={
                "mailer": self.name,
                "mail_from": envelope.sender,
                "mail_to": list(envelope.recipients),
                "subject": str(message["Subject"]),
                "attachments": attachments,
            },
        )
