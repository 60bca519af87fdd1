"""The ``twilio`` driver: the exact request it makes, how it reports refusals and outages.

Requests go to ``httpx.MockTransport`` handlers, and to a stub HTTP server on loopback for the
configurable base URL and the time-out.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Callable
from urllib.parse import parse_qs

import httpx
import pytest

from foundry.config.sms import SmsSettings
from foundry.kernel.application import Application
from foundry.sms import (
    SmsConfigurationError,
    SmsManager,
    SmsMessage,
    SmsTransportError,
    TwilioDriver,
)
from tests.conftest import MakeApplication

SID = "AC0123456789abcdef0123456789abcdef"
TOKEN = "s3cr3t-auth-token"
PHONE = "+14155550123"
SENDER = "+15005550006"


def settings(**changes: object) -> SmsSettings:
    values: dict[str, object] = {
        "SMS_DRIVER": "twilio",
        "TWILIO_SID": SID,
        "TWILIO_TOKEN": TOKEN,
        "TWILIO_FROM": SENDER,
        "TWILIO_BASE_URL": "https://sms.example.test",
    }
    values.update(changes)
    return SmsSettings.model_validate(values)


def driver(handler: Callable[[httpx.Request], httpx.Response], **changes: object) -> TwilioDriver:
    return TwilioDriver("twilio", settings(**changes), transport=httpx.MockTransport(handler))


async def test_a_message_is_one_form_post_with_basic_auth() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"sid": "SM123", "status": "queued"})

    twilio = driver(handler)
    sent = await twilio.send(PHONE, "Your code is 123456", after_commit=False)
    await twilio.aclose()

    (request,) = seen
    assert request.method == "POST"
    assert str(request.url) == (f"https://sms.example.test/2010-04-01/Accounts/{SID}/Messages.json")
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(
        f"{SID}:{TOKEN}".encode()
    ).decode("ascii")
    assert parse_qs(request.content.decode(), strict_parsing=True) == {
        "To": [PHONE],
        "From": [SENDER],
        "Body": ["Your code is 123456"],
    }
    assert sent.provider_id == "SM123" and sent.driver == "twilio"


async def test_a_message_may_name_its_own_sender() -> None:
    bodies: list[dict[str, list[str]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(parse_qs(request.content.decode()))
        return httpx.Response(201, json={"sid": "SM1"})

    twilio = driver(handler, TWILIO_FROM=None)
    await twilio.send(PHONE, SmsMessage("hi", from_="Foundry"), after_commit=False)
    assert bodies[0]["From"] == ["Foundry"]

    with pytest.raises(SmsConfigurationError, match="needs a sender"):
        await twilio.send(PHONE, "no sender", after_commit=False)
    assert len(bodies) == 1
    await twilio.aclose()


async def test_a_refusal_names_the_providers_error_and_never_the_token() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400,
            json={
                "code": 21211,
                "message": "The 'To' number is not a valid phone number.",
                "status": 400,
            },
        )

    twilio = driver(handler)
    with pytest.raises(SmsTransportError) as raised:
        await twilio.send(PHONE, "hello", after_commit=False)
    await twilio.aclose()

    message = str(raised.value)
    assert message == (
        "the SMS provider at https://sms.example.test refused the message: HTTP 400 "
        "(error 21211: The 'To' number is not a valid phone number.)"
    )
    assert TOKEN not in message


async def test_a_refusal_that_is_not_json_is_quoted_briefly() -> None:
    twilio = driver(lambda request: httpx.Response(502, text="<html>Bad gateway</html>" * 50))
    with pytest.raises(SmsTransportError, match=r"HTTP 502 \(<html>Bad gateway") as raised:
        await twilio.send(PHONE, "hello", after_commit=False)
    assert len(str(raised.value)) < 300
    await twilio.aclose()


async def test_a_connection_failure_is_a_transport_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    twilio = driver(handler)
    with pytest.raises(SmsTransportError, match="could not reach the SMS provider"):
        await twilio.send(PHONE, "hello", after_commit=False)
    await twilio.aclose()


class StubServer:
    """A loopback HTTP server answering Twilio's endpoint, or never answering at all."""

    def __init__(self, *, silent: bool = False) -> None:
        self.silent = silent
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.server: asyncio.Server | None = None
        self._release = asyncio.Event()

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        request_line, *header_lines = head.strip().split("\r\n")
        headers = {
            name.strip().lower(): value.strip()
            for name, value in (line.split(":", 1) for line in header_lines)
        }
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        self.requests.append((request_line, headers, body))
        if self.silent:
            await self._release.wait()  # hold the connection until the test ends
        else:
            payload = json.dumps({"sid": "SMstub", "status": "queued"}).encode()
            writer.write(
                b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                + payload
            )
            await writer.drain()
        writer.close()
        await writer.wait_closed()

    async def __aenter__(self) -> StubServer:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._release.set()
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


@pytest.fixture
async def stub() -> AsyncIterator[StubServer]:
    async with StubServer() as server:
        yield server


async def test_the_base_url_points_the_app_at_a_local_stub(
    make_application: MakeApplication, stub: StubServer
) -> None:
    application: Application = make_application(
        SMS_DRIVER="twilio",
        TWILIO_SID=SID,
        TWILIO_TOKEN=TOKEN,
        TWILIO_FROM=SENDER,
        TWILIO_BASE_URL=stub.url + "/",
    )
    sent = await application.container.make(SmsManager).send(PHONE, "hello", after_commit=False)

    request_line, headers, body = stub.requests[0]
    assert request_line == f"POST /2010-04-01/Accounts/{SID}/Messages.json HTTP/1.1"
    assert headers["authorization"].startswith("Basic ")
    assert parse_qs(body.decode()) == {"To": [PHONE], "From": [SENDER], "Body": ["hello"]}
    assert sent.provider_id == "SMstub"


async def test_a_provider_that_never_answers_times_out() -> None:
    async with StubServer(silent=True) as silent:
        twilio = TwilioDriver("twilio", settings(TWILIO_BASE_URL=silent.url, TWILIO_TIMEOUT=0.2))
        with pytest.raises(SmsTransportError, match="did not answer within 0.2 seconds"):
            await twilio.send(PHONE, "hello", after_commit=False)
        await twilio.aclose()
        assert len(silent.requests) == 1
