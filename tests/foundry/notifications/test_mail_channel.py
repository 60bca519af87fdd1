"""The ``mail`` channel through the Mail battery, received by a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

from foundry.kernel.application import Application
from foundry.notifications import Notification
from tests.conftest import MakeApplication
from tests.foundry.mail.conftest import SmtpServer, smtp_server
from tests.foundry.notifications.samples import Alert, Welcome

__all__ = ["smtp_server"]  # the mail tests' fixture, used here too


def _app(make_application: MakeApplication, server: SmtpServer) -> Application:
    return make_application(
        MAIL_MAILER="smtp",
        MAIL_HOST=server.host,
        MAIL_PORT=str(server.port),
        MAIL_FROM_ADDRESS="noreply@foundry.test",
        APP_NAME="Acme",
    )


def _received(server: SmtpServer) -> list[EmailMessage]:
    messages = []
    for envelope in server.inbox.envelopes:
        parsed = email.message_from_bytes(
            envelope.original_content or b"", policy=email.policy.default
        )
        assert isinstance(parsed, EmailMessage)
        messages.append(parsed)
    return messages


def _body(message: EmailMessage, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    assert isinstance(part, EmailMessage)
    return str(part.get_content()).replace("\r\n", "\n")


async def test_a_mail_message_arrives_as_html_and_text(
    make_application: MakeApplication, smtp_server: SmtpServer
) -> None:
    _app(make_application, smtp_server)

    await Notification.route("mail", ("ann@example.com", "Ann Lee")).notify(
        Welcome("Ann <b>", channels=("mail",))
    )

    [message] = _received(smtp_server)
    assert message["Subject"] == "Welcome aboard"
    assert message["To"] == "Ann Lee <ann@example.com>"
    text = _body(message, "plain")
    assert "Hello Ann <b>!" in text
    assert text.index("Your account is ready.") < text.index(
        "Open the app: https://example.com/home"
    )
    assert text.index("https://example.com/home") < text.index("Thank you for joining.")
    assert "Regards,\nAcme" in text
    html = _body(message, "html")
    assert "Hello Ann &lt;b&gt;!" in html  # escaped: a name cannot inject markup
    assert 'href="https://example.com/home"' in html and "#2d3748" in html


async def test_error_level_and_default_subject(
    make_application: MakeApplication, smtp_server: SmtpServer
) -> None:
    _app(make_application, smtp_server)

    await Notification.route("mail", "ops@example.com").notify(Alert("Disk full", as_message=True))

    [message] = _received(smtp_server)
    assert message["Subject"] == "Alert"  # the class name in words ("InvoicePaid": "Invoice Paid")
    assert "Whoops!" in _body(message, "plain")
    assert "#c0392b" in _body(message, "html")  # the red button


async def test_a_mailable_is_sent_as_it_is_to_the_route(
    make_application: MakeApplication, smtp_server: SmtpServer
) -> None:
    _app(make_application, smtp_server)

    await Notification.route("mail", ["a@example.com", "b@example.com"]).notify(Alert("Disk full"))

    [message] = _received(smtp_server)
    assert message["Subject"] == "Alert"
    assert message["To"] == "a@example.com, b@example.com"
    assert "Disk full" in _body(message, "plain")
