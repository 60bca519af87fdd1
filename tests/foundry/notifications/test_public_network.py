"""The public-address transport: names resolving inside the network are refused before any
connection; public ones are connected to by the vetted IP, with the URL's host name kept for
TLS and the ``Host`` header; redirects cannot lead inside."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpcore
import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from foundry.config.notification_channels import NotificationChannelsSettings
from foundry.notifications.http_delivery import (
    Attempt,
    ChannelHttp,
    DeliveryRejected,
    DeliveryUnavailable,
    DestinationNotPublic,
)
from foundry.notifications.public_network import (
    NonPublicAddressError,
    is_public_address,
    public_transport,
    resolve_host,
)
from tests.foundry.notifications.channels.receiver import running_receiver
from tests.foundry.notifications.channels.support import Resolver, Sleeps

PUBLIC = "93.184.215.14"
OK = b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"


class Stream(httpcore.AsyncNetworkStream):
    """One connection: records what was written and the TLS name, answers ``reply``."""

    def __init__(self, reply: bytes) -> None:
        self.reply = [reply]
        self.written = bytearray()
        self.tls_names: list[str | None] = []

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.reply.pop(0) if self.reply else b""

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.written += buffer

    async def aclose(self) -> None:
        pass

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.tls_names.append(server_hostname)
        return self

    def get_extra_info(self, info: str) -> Any:
        return None


class Network(httpcore.AsyncNetworkBackend):
    """The inner backend: records every connection asked of it (no socket is opened)."""

    def __init__(self, *replies: bytes, refuse: Iterable[str] = ()) -> None:
        self.replies = list(replies)
        self.refuse = set(refuse)
        self.connects: list[tuple[str, int]] = []
        self.streams: list[Stream] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connects.append((host, port))
        if host in self.refuse:
            raise httpcore.ConnectError("connection refused")
        stream = Stream(self.replies.pop(0) if self.replies else OK)
        self.streams.append(stream)
        return stream

    async def sleep(self, seconds: float) -> None:
        pass


def client(network: Network, resolver: Resolver, **options: Any) -> httpx.AsyncClient:
    allow_local = options.pop("allow_local", False)
    transport = public_transport(allow_local=allow_local, resolver=resolver, inner=network)
    return httpx.AsyncClient(transport=transport, **options)


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.5",
        "172.16.0.1",
        "192.168.1.1",
        "127.0.0.1",
        "127.0.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # CGNAT shared space
        "0.0.0.0",
        "224.0.0.1",  # multicast (which ``is_global`` lets through)
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.1",  # documentation
        "198.18.0.1",  # benchmarking
        "::1",
        "::",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.5",
        "::a00:5",  # IPv4-compatible 10.0.0.5
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "2002:a00:5::1",  # 6to4 of 10.0.0.5
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "fec0::1",  # site-local
        "ff02::1",
        "2001:db8::1",
    ],
)
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", PUBLIC, "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"],
)
def test_public_addresses_are(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "answer",
    [
        ["10.0.0.5"],
        ["127.0.0.1"],
        ["::1"],
        ["::ffff:127.0.0.1"],
        ["169.254.169.254"],
        ["100.64.0.1"],
        [PUBLIC, "10.0.0.5"],  # one inside is enough: the client could pick it
        ["fe80::1%eth0"],
    ],
)
async def test_a_name_resolving_inside_the_network_is_refused_before_connecting(
    answer: list[str],
) -> None:
    network, resolver = Network(), Resolver(push_evil_example=answer)

    async with client(network, resolver) as http:
        with pytest.raises(NonPublicAddressError) as refused:
            await http.post("https://push.evil.example/send/secret-token?auth=x", content=b"{}")

    assert resolver.asked == ["push.evil.example"]
    assert network.connects == []
    assert str(refused.value) == (
        "push.evil.example is not a public address (or resolves to one that is not)"
    )
    assert not isinstance(refused.value, httpx.TransportError)  # not a retryable network error


@pytest.mark.parametrize(
    "url", ["https://10.0.0.5/push", "https://[::ffff:127.0.0.1]/push", "http://169.254.169.254/"]
)
async def test_an_internal_ip_literal_is_refused_without_resolving(url: str) -> None:
    network, resolver = Network(), Resolver()

    async with client(network, resolver) as http:
        with pytest.raises(NonPublicAddressError):
            await http.post(url, content=b"{}")

    assert resolver.asked == [] and network.connects == []


async def test_a_public_name_is_connected_to_by_address_with_its_name_kept() -> None:
    network = Network()
    resolver = Resolver(push_example_com=[PUBLIC, "2606:4700:4700::1111"])

    async with client(network, resolver) as http:
        response = await http.post("https://push.example.com:8443/send/1", content=b"hello")

    assert response.status_code == 201
    assert network.connects == [(PUBLIC, 8443)]  # the vetted address, not the name
    [stream] = network.streams
    assert stream.tls_names == ["push.example.com"]  # SNI and certificate check: the name
    request = bytes(stream.written)
    assert request.startswith(b"POST /send/1 HTTP/1.1\r\n")
    assert b"\r\nHost: push.example.com:8443\r\n" in request


async def test_the_next_vetted_address_is_tried_when_one_does_not_answer() -> None:
    network = Network(refuse=[PUBLIC])
    resolver = Resolver(push_example_com=[PUBLIC, "2606:4700:4700::1111"])

    async with client(network, resolver) as http:
        response = await http.post("https://push.example.com/send/1", content=b"hello")

    assert response.status_code == 201
    assert network.connects == [(PUBLIC, 443), ("2606:4700:4700::1111", 443)]


async def test_a_name_that_does_not_resolve_is_a_network_error() -> None:
    async with client(Network(), Resolver()) as http:
        with pytest.raises(httpx.ConnectError):
            await http.post("https://nowhere.example/send/1", content=b"hello")


async def test_a_redirect_is_checked_like_any_connection() -> None:
    # ChannelHttp never follows redirects; even a client that does cannot be bounced inside.
    moved = b"HTTP/1.1 307 Temporary Redirect\r\nLocation: https://inside.example/\r\n"
    moved += b"Content-Length: 0\r\n\r\n"
    network = Network(moved)
    resolver = Resolver(push_example_com=[PUBLIC], inside_example=["10.0.0.5"])

    async with client(network, resolver, follow_redirects=True) as http:
        with pytest.raises(NonPublicAddressError, match="inside.example"):
            await http.post("https://push.example.com/send/1", content=b"hello")

    assert network.connects == [(PUBLIC, 443)]


async def test_channel_http_does_not_follow_a_redirect_to_an_internal_address() -> None:
    moved = b"HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data/\r\n"
    moved += b"Content-Length: 0\r\n\r\n"
    network = Network(moved)
    transport = public_transport(resolver=Resolver(push_example_com=[PUBLIC]), inner=network)
    sleeps = Sleeps()
    http = ChannelHttp(NotificationChannelsSettings(), transport=transport, sleep=sleeps)

    with pytest.raises(DeliveryRejected, match="HTTP 302"):
        await http.post("push", "https://push.example.com/send/1", content=b"x", headers={})

    assert network.connects == [(PUBLIC, 443)] and sleeps.waits == []


async def test_local_names_reach_this_machine_only_when_allowed() -> None:
    resolver = Resolver(localhost=["127.0.0.1"], local_evil_example=["127.0.0.1"])

    network = Network()
    async with client(network, resolver, allow_local=True) as http:
        assert (await http.post("http://localhost:8000/push", content=b"x")).status_code == 201
        assert (await http.post("http://127.0.0.1:8000/push", content=b"x")).status_code == 201
        with pytest.raises(NonPublicAddressError):  # another name for this machine: no
            await http.post("http://local.evil.example:8000/push", content=b"x")
        with pytest.raises(NonPublicAddressError):  # the rest of the network: no
            await http.post("http://10.0.0.5/push", content=b"x")
    assert network.connects == [("127.0.0.1", 8000), ("127.0.0.1", 8000)]

    async with client(Network(), resolver) as http:
        with pytest.raises(NonPublicAddressError):
            await http.post("http://localhost:8000/push", content=b"x")


async def test_public_only_delivery_fails_at_once_naming_the_host_only() -> None:
    attempts: list[Attempt] = []
    sleeps = Sleeps()

    async def record(attempt: Attempt) -> None:
        attempts.append(attempt)

    http = ChannelHttp(
        NotificationChannelsSettings(NOTIFICATIONS_HTTP_RETRIES=3),
        sleep=sleeps,
        resolver=Resolver(hooks_evil_example=["169.254.169.254"]),
    )

    with pytest.raises(DestinationNotPublic) as refused:
        await http.post(
            "webhook",
            "https://user:pw@hooks.evil.example/T0/B0/SECRET?token=abc",
            content=b"{}",
            headers={},
            on_attempt=record,
            public_only=True,
        )

    message = str(refused.value)
    assert message == (
        "webhook notification was not sent: hooks.evil.example is not a public address"
    )
    assert isinstance(refused.value, DeliveryRejected)
    assert not isinstance(refused.value, DeliveryUnavailable)  # no 503, no retry
    assert refused.value.status is None
    assert sleeps.waits == []
    assert [(a.number, a.status) for a in attempts] == [(1, None)]
    assert attempts[0].error is not None and "SECRET" not in attempts[0].error


async def test_only_public_only_requests_are_checked() -> None:
    # An operator's URL (SLACK_WEBHOOK_URL, a trusted WebhookRoute) may be on the network.
    resolver = Resolver()
    http = ChannelHttp(NotificationChannelsSettings(), sleep=Sleeps(), resolver=resolver)

    with running_receiver() as receiver:
        response = await http.post("slack", receiver.url("/hook"), content=b"{}", headers={})
        with pytest.raises(DestinationNotPublic, match="127.0.0.1 is not a public address"):
            await http.post(
                "push", receiver.url("/push"), content=b"{}", headers={}, public_only=True
            )

    assert response.status_code == 200
    assert [r.path for r in receiver.requests] == ["/hook"]
    assert resolver.asked == []


class Routing(httpcore.AsyncNetworkBackend):
    """The real network, where the vetted public address happens to route to this machine."""

    def __init__(self, routes: dict[str, str]) -> None:
        self.routes = routes
        self.inner = httpcore.AnyIOBackend()
        self.connects: list[str] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connects.append(host)
        return await self.inner.connect_tcp(self.routes[host], port, timeout=timeout)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


@dataclass
class HttpsServer:
    port: int
    authority: ssl.SSLContext  # trusts the server's certificate
    server_names: list[str | None] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)


def _certificate(directory: Path, name: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
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
    return cert_file, key_file


@contextmanager
def https_server(directory: Path, name: str) -> Iterator[HttpsServer]:
    """An HTTPS server on 127.0.0.1 whose certificate is valid for ``name`` only."""
    cert_file, key_file = _certificate(directory, name)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    found = HttpsServer(httpd.server_address[1], ssl.create_default_context(cafile=cert_file))
    context.sni_callback = lambda sock, server_name, ctx: found.server_names.append(server_name)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            found.hosts.append(self.headers.get("Host", ""))
            self.send_response(201)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd.RequestHandlerClass = Handler
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


async def test_tls_verifies_the_url_host_name_over_the_vetted_address(tmp_path: Path) -> None:
    resolver = Resolver(push_example_test=[PUBLIC])
    with https_server(tmp_path, "push.example.test") as server:
        network = Routing({PUBLIC: "127.0.0.1"})
        transport = public_transport(resolver=resolver, inner=network, ssl_context=server.authority)
        async with httpx.AsyncClient(transport=transport) as http:
            response = await http.post(f"https://push.example.test:{server.port}/p", content=b"x")

    assert response.status_code == 201
    assert network.connects == [PUBLIC]
    assert server.server_names == ["push.example.test"]
    assert server.hosts == [f"push.example.test:{server.port}"]


async def test_a_certificate_for_another_name_is_refused(tmp_path: Path) -> None:
    resolver = Resolver(push_example_test=[PUBLIC])
    with https_server(tmp_path, "other.example.test") as server:
        transport = public_transport(
            resolver=resolver,
            inner=Routing({PUBLIC: "127.0.0.1"}),
            ssl_context=server.authority,
        )
        async with httpx.AsyncClient(transport=transport) as http:
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await http.post(f"https://push.example.test:{server.port}/p", content=b"x")

    assert server.hosts == []


async def test_the_real_resolver_does_not_block_and_finds_localhost() -> None:
    found = await resolve_host("localhost", 80)

    assert found and all(ipaddress.ip_address(a).is_loopback for a in found)
