"""The log and array mailers, the manager, and rendering with the shared layout."""

from __future__ import annotations

import json
import logging

import pytest

from foundry.kernel.application import Application
from foundry.kernel.providers import ServiceProvider
from foundry.mail import (
    ArrayMailer,
    InvalidAddressError,
    Mail,
    MailManager,
    MailTemplateError,
    UnknownMailerError,
)
from tests.foundry.mail.conftest import PROVIDERS, MailAppFactory, MakeApplication
from tests.foundry.mail.sample_mail import HtmlOnlyMail, NoTemplateMail, WelcomeMail


async def test_the_log_mailer_is_the_default_and_logs_no_secrets(
    mail_app: MailAppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    mail_app(MAIL_PASSWORD="hunter2-secret", MAIL_USERNAME="mailer")
    caplog.set_level(logging.INFO, logger="foundry.mail")

    mailable = WelcomeMail(user_name="Ada").attach_data(b"SECRET-BYTES", "notes.txt")
    await Mail.to("ada@example.com").bcc("audit@example.com").send(mailable)

    (record,) = [r for r in caplog.records if r.name == "foundry.mail"]
    assert record.levelno == logging.INFO
    text = record.getMessage()
    assert "from noreply" not in text
    assert "hello@example.com to ada@example.com, audit@example.com" in text
    assert "Welcome to Foundry" in text
    assert "Hello Ada," in text and "<p>" not in text  # the text body, not the HTML
    assert "notes.txt (text/plain, 12 bytes)" in text
    assert "SECRET-BYTES" not in caplog.text
    assert "hunter2-secret" not in caplog.text


async def test_the_log_mailer_falls_back_to_the_html_body(
    mail_app: MailAppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    mail_app()
    caplog.set_level(logging.INFO, logger="foundry.mail")

    await Mail.to("ada@example.com").send(HtmlOnlyMail(user_name="Ada"))

    assert "<p>Hello Ada,</p>" in caplog.text


async def test_the_array_mailer_keeps_messages(mail_app: MailAppFactory) -> None:
    mail_app(MAIL_MAILER="array", MAIL_FROM_ADDRESS="team@example.com", MAIL_FROM_NAME="Team")

    await Mail.to("ada@example.com").send(WelcomeMail(user_name="Ada").from_("me@example.com"))
    await Mail.to("bob@example.com").send(WelcomeMail(user_name="Bob").with_subject("Hi Bob"))

    mailer = Mail.mailer()
    assert isinstance(mailer, ArrayMailer)
    first, second = mailer.messages
    assert first.message["From"] == "me@example.com"
    assert second.message["From"] == "Team <team@example.com>"
    assert second.message["Subject"] == "Hi Bob"
    assert second.envelope.recipients == ("bob@example.com",)
    mailer.flush()
    assert mailer.messages == []


async def test_the_layout_wraps_both_bodies_and_html_is_escaped(mail_app: MailAppFactory) -> None:
    mail_app(MAIL_MAILER="array", APP_NAME="Acme & Co")

    sent = await Mail.to("ada@example.com").send(WelcomeMail(user_name='<b>"Ada"</b>'))

    html, text = sent.html or "", sent.text or ""
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Welcome to Foundry</title>" in html
    assert "Acme &amp; Co" in html
    assert "Hello &lt;b&gt;&#34;Ada&#34;&lt;/b&gt;," in html
    assert text.startswith("Acme & Co\n=========\n")
    assert 'Hello <b>"Ada"</b>,' in text
    assert "Welcome to Acme & Co. Your account is ready." in text


async def test_bad_input_is_refused_clearly(mail_app: MailAppFactory) -> None:
    mail_app(MAIL_MAILER="array")

    with pytest.raises(InvalidAddressError, match="has no recipients"):
        await Mail.send(WelcomeMail(user_name="Ada"))
    with pytest.raises(InvalidAddressError, match="line break"):
        await Mail.to("ada@example.com\r\nBcc: eve@example.com").send(WelcomeMail(user_name="A"))
    with pytest.raises(InvalidAddressError, match="'ada@localhost' is not a valid email address"):
        await Mail.to("ada@localhost").send(WelcomeMail(user_name="A"))
    with pytest.raises(MailTemplateError, match="sets neither html_template nor text_template"):
        await Mail.to("ada@example.com").send(NoTemplateMail())
    with pytest.raises(UnknownMailerError, match="known mailers: array, log, smtp"):
        Mail.mailer("carrier-pigeon")


def test_an_unknown_default_mailer_fails_at_start_up(mail_app: MailAppFactory) -> None:
    with pytest.raises(UnknownMailerError, match="'sendgrid' is not defined"):
        mail_app(MAIL_MAILER="sendgrid")


async def test_extend_adds_a_mailer(mail_app: MailAppFactory) -> None:
    app = mail_app()
    manager = app.container.make(MailManager)
    manager.extend("outbox", lambda mgr, name: ArrayMailer(name, mgr.builder))

    await manager.mailer("outbox").to("ada@example.com").send(WelcomeMail(user_name="Ada"))

    outbox = manager.mailer("outbox")
    assert isinstance(outbox, ArrayMailer) and len(outbox.messages) == 1


async def test_extend_replaces_a_built_in_mailer_even_once_it_was_used(
    mail_app: MailAppFactory,
) -> None:
    app = mail_app()
    manager = app.container.make(MailManager)
    assert manager.mailer().name == "log"

    manager.extend("log", lambda mgr, name: ArrayMailer(name, mgr.builder))
    await Mail.to("ada@example.com").send(WelcomeMail(user_name="Ada"), after_commit=False)

    log = manager.mailer("log")
    assert isinstance(log, ArrayMailer) and len(log.messages) == 1
    assert manager.mailer_names() == ["array", "log", "smtp"]


class OutboxProvider(ServiceProvider):
    """What an app's own provider does: add a mailer in ``boot``."""

    def boot(self, app: Application) -> None:
        app.container.make(MailManager).extend(
            "outbox", lambda mgr, name: ArrayMailer(name, mgr.builder)
        )


async def test_a_mailer_added_in_the_apps_own_boot_can_be_the_default(
    make_application: MakeApplication,
) -> None:
    providers = [*PROVIDERS, f"{__name__}.OutboxProvider"]
    make_application(MAIL_MAILER="outbox", APP_PROVIDERS=json.dumps(providers))

    await Mail.to("ada@example.com").send(WelcomeMail(user_name="Ada"))

    outbox = Mail.mailer()
    assert isinstance(outbox, ArrayMailer) and outbox.name == "outbox"
    assert [sent.envelope.recipients for sent in outbox.messages] == [("ada@example.com",)]


async def test_the_fake_records_for_every_mailer_even_one_added_later(
    mail_app: MailAppFactory,
) -> None:
    mail_app()
    fake = Mail.fake()
    fake.extend("outbox", lambda mgr, name: ArrayMailer(name, mgr.builder))

    await Mail.mailer("outbox").to("ada@example.com").send(WelcomeMail(user_name="Ada"))
    await Mail.mailer("anything").to("bob@example.com").send(WelcomeMail(user_name="Bob"))

    assert [sent.mailer for sent in fake.sent_messages()] == ["outbox", "anything"]
