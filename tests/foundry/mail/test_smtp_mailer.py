"""The smtp mailer against a real SMTP server (aiosmtpd) started by the test."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from foundry.mail import Mail, MailManager, MailTransportError
from tests.foundry.mail.conftest import MailAppFactory, SmtpServer, _free_port
from tests.foundry.mail.sample_mail import WelcomeMail


def _smtp_env(server: SmtpServer, **extra: str) -> dict[str, str]:
    return {
        "MAIL_MAILER": "smtp",
        "MAIL_HOST": server.host,
        "MAIL_PORT": str(server.port),
        "MAIL_FROM_ADDRESS": "noreply@foundry.test",
        "MAIL_FROM_NAME": "Foundry",
        **extra,
    }


def _received(server: SmtpServer) -> EmailMessage:
    (envelope,) = server.inbox.envelopes
    content = envelope.original_content or b""
    parsed = email.message_from_bytes(content, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


async def test_smtp_delivers_headers_both_bodies_and_an_attachment(
    mail_app: MailAppFactory, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    mail_app(**_smtp_env(smtp_server))
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.4 fake report")

    mailable = (
        WelcomeMail(user_name="Ada <script>")
        .cc("Grace <grace@foundry.test>")
        .bcc("audit@foundry.test")
        .reply_to("support@foundry.test", "Support")
        .attach(report)
        .attach_data(b"a,b\n1,2\n", "data.csv")
    )
    await Mail.to("ada@foundry.test", "Ada Lovelace").send(mailable)

    (envelope,) = smtp_server.inbox.envelopes
    assert envelope.mail_from == "noreply@foundry.test"
    assert envelope.rcpt_tos == ["ada@foundry.test", "grace@foundry.test", "audit@foundry.test"]
    message = _received(smtp_server)
    assert message["Subject"] == "Welcome to Foundry"
    assert message["From"] == "Foundry <noreply@foundry.test>"
    assert message["To"] == "Ada Lovelace <ada@foundry.test>"
    assert message["Cc"] == "Grace <grace@foundry.test>"
    assert message["Reply-To"] == "Support <support@foundry.test>"
    assert message["Bcc"] is None  # blind copies travel in the envelope only
    assert message["Message-ID"].endswith("@foundry.test>")
    assert message["Date"]

    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert "Hello Ada <script>," in text.get_content()
    assert "Hello Ada &lt;script&gt;," in html.get_content()

    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(attachments) == {"report.pdf", "data.csv"}
    assert attachments["report.pdf"].get_content_type() == "application/pdf"
    assert attachments["report.pdf"].get_payload(decode=True) == b"%PDF-1.4 fake report"
    assert attachments["data.csv"].get_content_type() == "text/csv"


async def test_mailer_smtp_can_be_named_while_the_default_is_log(
    mail_app: MailAppFactory, smtp_server: SmtpServer
) -> None:
    env = _smtp_env(smtp_server)
    env["MAIL_MAILER"] = "log"
    mail_app(**env)

    await Mail.mailer("smtp").send(WelcomeMail(user_name="Ada").to("ada@foundry.test"))

    assert Mail.default_mailer == "log"
    assert _received(smtp_server)["To"] == "ada@foundry.test"


async def test_an_unreachable_server_is_a_clear_error_without_the_password(
    mail_app: MailAppFactory,
) -> None:
    app = mail_app(
        MAIL_MAILER="smtp",
        MAIL_HOST="127.0.0.1",
        MAIL_PORT=str(_free_port()),
        MAIL_USERNAME="mailer",
        MAIL_PASSWORD="hunter2-secret",
        MAIL_TIMEOUT="2",
    )

    with pytest.raises(MailTransportError, match="could not") as caught:
        await Mail.send(WelcomeMail(user_name="Ada").to("ada@foundry.test"))

    assert "hunter2-secret" not in str(caught.value)
    assert "hunter2-secret" not in repr(app.container.make(MailManager).settings)


async def test_a_malformed_address_fails_before_anything_is_sent(
    mail_app: MailAppFactory, smtp_server: SmtpServer
) -> None:
    from foundry.mail import InvalidAddressError

    mail_app(**_smtp_env(smtp_server))

    with pytest.raises(InvalidAddressError, match="'not-an-address' is not a valid email"):
        await Mail.to("ada@foundry.test").cc("not-an-address").send(WelcomeMail(user_name="A"))

    assert smtp_server.inbox.envelopes == []
