"""The smtp mailer over STARTTLS and implicit TLS, with a login, against a real aiosmtpd server."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from foundry.mail import Mail, MailTransportError
from tests.foundry.mail.conftest import Inbox, MailAppFactory, _free_port
from tests.foundry.mail.sample_mail import WelcomeMail

USERNAME = "mailer"
PASSWORD = "s3cret-smtp-password"


@dataclass
class Logins:
    """Checks credentials the way a mail provider would, and remembers who tried."""

    attempts: list[str] = field(default_factory=list)

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: object
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.attempts.append(auth_data.login.decode())
        valid = auth_data.login == USERNAME.encode() and auth_data.password == PASSWORD.encode()
        return AuthResult(success=valid)


@dataclass
class TlsServer:
    port: int
    inbox: Inbox
    logins: Logins


def _self_signed(directory: Path) -> ssl.SSLContext:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context


def _serve(tmp_path: Path, *, implicit: bool) -> Iterator[TlsServer]:
    context = _self_signed(tmp_path)
    server = TlsServer(_free_port(), Inbox(), Logins())
    if implicit:
        # aiosmtpd only counts STARTTLS as TLS for AUTH; here the whole connection is TLS.
        controller = Controller(
            server.inbox,
            hostname="127.0.0.1",
            port=server.port,
            ssl_context=context,
            authenticator=server.logins,
            auth_require_tls=False,
        )
    else:
        controller = Controller(
            server.inbox,
            hostname="127.0.0.1",
            port=server.port,
            tls_context=context,
            require_starttls=True,
            authenticator=server.logins,
            auth_require_tls=True,
        )
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def starttls_server(tmp_path: Path) -> Iterator[TlsServer]:
    yield from _serve(tmp_path, implicit=False)


@pytest.fixture
def implicit_tls_server(tmp_path: Path) -> Iterator[TlsServer]:
    yield from _serve(tmp_path, implicit=True)


def _env(server: TlsServer, encryption: str, **extra: str) -> dict[str, str]:
    return {
        "MAIL_MAILER": "smtp",
        "MAIL_HOST": "127.0.0.1",
        "MAIL_PORT": str(server.port),
        "MAIL_ENCRYPTION": encryption,
        "MAIL_USERNAME": USERNAME,
        "MAIL_PASSWORD": PASSWORD,
        "MAIL_FROM_ADDRESS": "noreply@foundry.test",
        "MAIL_TIMEOUT": "5",
        **extra,
    }


async def test_starttls_with_a_login_delivers(
    mail_app: MailAppFactory, starttls_server: TlsServer
) -> None:
    mail_app(**_env(starttls_server, "starttls", MAIL_VERIFY_CERTIFICATES="false"))

    await Mail.send(WelcomeMail(user_name="Ada").to("ada@foundry.test"))

    assert starttls_server.logins.attempts == [USERNAME]
    (envelope,) = starttls_server.inbox.envelopes
    assert envelope.rcpt_tos == ["ada@foundry.test"]


async def test_implicit_tls_with_a_login_delivers(
    mail_app: MailAppFactory, implicit_tls_server: TlsServer
) -> None:
    mail_app(**_env(implicit_tls_server, "tls", MAIL_VERIFY_CERTIFICATES="false"))

    await Mail.send(WelcomeMail(user_name="Ada").to("ada@foundry.test"))

    assert len(implicit_tls_server.inbox.envelopes) == 1


async def test_a_refused_login_is_a_clear_error_without_the_password(
    mail_app: MailAppFactory, starttls_server: TlsServer
) -> None:
    env = _env(starttls_server, "starttls", MAIL_VERIFY_CERTIFICATES="false")
    env["MAIL_PASSWORD"] = "wrong-password-123"
    mail_app(**env)

    with pytest.raises(MailTransportError, match="could not send") as caught:
        await Mail.send(WelcomeMail(user_name="Ada").to("ada@foundry.test"))

    assert "wrong-password-123" not in str(caught.value)
    assert starttls_server.inbox.envelopes == []


async def test_certificates_are_verified_by_default(
    mail_app: MailAppFactory, starttls_server: TlsServer
) -> None:
    mail_app(**_env(starttls_server, "starttls"))

    with pytest.raises(MailTransportError):
        await Mail.send(WelcomeMail(user_name="Ada").to("ada@foundry.test"))

    assert starttls_server.logins.attempts == []  # no credentials went to an unverified server
    assert starttls_server.inbox.envelopes == []


async def test_a_server_that_requires_tls_refuses_a_plain_connection(
    mail_app: MailAppFactory, starttls_server: TlsServer
) -> None:
    mail_app(**_env(starttls_server, "none"))

    with pytest.raises(MailTransportError):
        await Mail.send(WelcomeMail(user_name="Ada").to("ada@foundry.test"))

    assert starttls_server.inbox.envelopes == []
