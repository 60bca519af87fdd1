"""The ``smtp`` mailer: delivers through an SMTP server with aiosmtplib."""

from __future__ import annotations

import ssl
from email.message import EmailMessage

import aiosmtplib

from foundry.config.mail import MailSettings
from foundry.mail.errors import MailTransportError
from foundry.mail.mailer import Mailer
from foundry.mail.message import Envelope, MessageBuilder

__all__ = ["SmtpMailer"]


class SmtpMailer(Mailer):
    """Sends each message over a new connection to ``MAIL_HOST``:``MAIL_PORT``.

    ``MAIL_ENCRYPTION`` picks plain SMTP (``none``: no upgrade is attempted, even if offered),
    ``starttls`` (upgrade required) or ``tls`` (implicit TLS). ``MAIL_USERNAME`` and
    ``MAIL_PASSWORD`` log in when both are set; the password never appears in errors or logs.
    """

    def __init__(
        self, name: str, builder: MessageBuilder, settings: MailSettings | None = None
    ) -> None:
        """Create the mailer; ``settings`` default to the builder's."""
        super().__init__(name, builder)
        self.settings = settings or builder.settings

    async def deliver(self, message: EmailMessage, envelope: Envelope) -> None:
        """Send ``message`` to ``envelope.recipients``.

        Raises:
            MailTransportError: the server could not be reached, refused the login, the
                sender or every recipient, or timed out.
        """
        settings = self.settings
        password = settings.password.get_secret_value() if settings.password else None
        login = settings.username is not None and password is not None
        try:
            await aiosmtplib.send(
                message,
                sender=envelope.sender,
                recipients=list(envelope.recipients),
                hostname=settings.host,
                port=settings.port,
                username=settings.username if login else None,
                password=password if login else None,
                use_tls=settings.encryption == "tls",
                start_tls=settings.encryption == "starttls",
                timeout=settings.timeout,
                validate_certs=settings.verify_certificates,
                tls_context=None if settings.verify_certificates else _unverified_context(),
            )
        except aiosmtplib.SMTPException as error:
            # aiosmtplib's messages carry server replies, never the credentials we sent.
            raise MailTransportError(
                f"mailer {self.name!r} could not send through {settings.host}:{settings.port}: "
                f"{type(error).__name__}: {error}"
            ) from None
        except OSError as error:
            raise MailTransportError(
                f"mailer {self.name!r} could not reach {settings.host}:{settings.port}: {error}"
            ) from None


def _unverified_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
