"""The ``twilio`` driver: Twilio's Messages API, or any provider that speaks it.

One ``POST {TWILIO_BASE_URL}/2010-04-01/Accounts/{TWILIO_SID}/Messages.json`` per message, a
form with ``To``, ``From`` and ``Body``, and HTTP basic auth (the SID and ``TWILIO_TOKEN``).
``TWILIO_BASE_URL`` points the driver at a compatible provider, or at a local stub in tests.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from foundry.config.sms import SmsSettings
from foundry.sms.driver import SmsDriver
from foundry.sms.errors import SmsConfigurationError, SmsTransportError
from foundry.sms.message import SentSms

__all__ = ["TwilioDriver"]

#: How much of an error body that is not Twilio's JSON a refusal quotes.
_QUOTED = 200


class TwilioDriver(SmsDriver):
    """Sends each message with one HTTPS request; an HTTP client is opened on first use.

    Every failure is a :class:`SmsTransportError` naming the URL and the reason: a refusal
    (Twilio's error ``code`` and ``message``), a time-out (``TWILIO_TIMEOUT``) or a connection
    that failed. The token never appears in one.
    """

    def __init__(
        self,
        name: str,
        settings: SmsSettings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Create the driver.

        Args:
            name: the driver's name (``twilio``).
            settings: ``TWILIO_SID`` and ``TWILIO_TOKEN`` must be set.
            transport: the HTTP transport to use (tests pass an ``httpx.MockTransport``);
                default: the network.

        Raises:
            SmsConfigurationError: ``TWILIO_SID`` or ``TWILIO_TOKEN`` is missing.
        """
        super().__init__(name, settings)
        missing = [
            variable
            for variable, value in (
                ("TWILIO_SID", settings.twilio_sid),
                ("TWILIO_TOKEN", settings.twilio_token),
            )
            if not value
        ]
        if missing:
            raise SmsConfigurationError(
                f"the {name!r} SMS driver needs {' and '.join(missing)} (set them in .env)"
            )
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    @property
    def base_url(self) -> str:
        """The API's root, without a trailing slash."""
        return self.settings.twilio_base_url.rstrip("/")

    @property
    def messages_url(self) -> str:
        """Where messages are posted."""
        sid = quote(self.settings.twilio_sid or "", safe="")
        return f"{self.base_url}/2010-04-01/Accounts/{sid}/Messages.json"

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            token = self.settings.twilio_token
            self._client = httpx.AsyncClient(
                auth=(self.settings.twilio_sid or "", token.get_secret_value() if token else ""),
                timeout=httpx.Timeout(self.settings.twilio_timeout),
                transport=self._transport,
                headers={"Accept": "application/json"},
            )
        return self._client

    async def deliver(self, sms: SentSms) -> str | None:
        """Post ``sms``; returns the message SID the API answered with.

        Raises:
            SmsConfigurationError: no sender (neither the message's nor ``TWILIO_FROM``).
            SmsTransportError: the API refused the message, timed out or could not be reached.
        """
        if not sms.from_:
            raise SmsConfigurationError(
                f"the {self.name!r} SMS driver needs a sender: set TWILIO_FROM or the message's "
                "from_"
            )
        form = {"To": sms.to, "From": sms.from_, "Body": sms.content}
        try:
            response = await self._http().post(self.messages_url, data=form)
        except httpx.TimeoutException:
            raise SmsTransportError(
                f"the SMS provider at {self.base_url} did not answer within "
                f"{self.settings.twilio_timeout:g} seconds"
            ) from None
        except httpx.HTTPError as exc:
            raise SmsTransportError(
                f"could not reach the SMS provider at {self.base_url}: "
                f"{type(exc).__name__}: {exc}"
            ) from None
        if not response.is_success:
            raise SmsTransportError(
                f"the SMS provider at {self.base_url} refused the message: "
                f"HTTP {response.status_code}{_reason(response)}"
            )
        sid = _json(response).get("sid")
        return sid if isinstance(sid, str) else None

    async def aclose(self) -> None:
        """Close the HTTP client, if one was opened."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _reason(response: httpx.Response) -> str:
    body = _json(response)
    code, message = body.get("code"), body.get("message")
    if message is not None:
        return f" (error {code}: {message})" if code is not None else f" ({message})"
    text = response.text.strip()
    return f" ({text[:_QUOTED]})" if text else ""
