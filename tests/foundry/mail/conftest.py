"""Mail fixtures: an app with the mail provider, and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from foundry.config.app import AppSettings
from foundry.kernel.application import Application

MakeApplication = Callable[..., Application]
#: ``mail_app(**env)``: the type of the fixture below.
MailAppFactory = Callable[..., Application]

PROVIDERS = [
    *AppSettings.model_fields["providers"].get_default(call_default_factory=True),
    "foundry.mail.provider.MailServiceProvider",
]


@dataclass
class Inbox:
    """What the SMTP server received: one envelope per message."""

    envelopes: list[Envelope] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """A running aiosmtpd server on a free loopback port."""

    host: str
    port: int
    inbox: Inbox


# aiosmtpd logs each connection at INFO from its own thread, which can outlive the test whose
# captured output it writes to ("I/O operation on closed file").
logging.getLogger("mail.log").setLevel(logging.WARNING)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """Start an SMTP server for this test and stop it afterwards."""
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, inbox)
    finally:
        controller.stop()


@pytest.fixture
def mail_app(make_application: MakeApplication) -> MailAppFactory:
    """``mail_app(MAIL_MAILER="array", ...)``: an app whose providers include the mail one."""

    def factory(**env: str) -> Application:
        return make_application(APP_PROVIDERS=json.dumps(PROVIDERS), **env)

    return factory
