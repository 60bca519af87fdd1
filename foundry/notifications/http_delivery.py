"""Posting a notification over HTTP with a timeout and a bounded retry (Slack, Discord,
webhooks, Web Push).

A network error, a 5xx or a 429 is tried again after a growing pause (a 429's ``Retry-After``,
or Discord's ``retry_after`` in the body, wins); any other 4xx fails at once, since sending the
same request again cannot succeed. Errors name the channel, the status and the host only: an
incoming-webhook URL carries its secret in its path, and exception messages end up in logs and
in ``failed_jobs``.

A URL a user chose (a push subscription's endpoint, a notifiable's own webhook) is posted with
``public_only=True``: through :func:`~foundry.notifications.public_network.public_transport`,
which connects only to public addresses. A host that is (or resolves to) a private, loopback or
otherwise internal address fails at once with :class:`DestinationNotPublic`, never retried.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import anyio
import httpx

from foundry.config.notification_channels import NotificationChannelsSettings
from foundry.kernel.outages import ServiceUnavailableError
from foundry.notifications.public_network import (
    NonPublicAddressError,
    Resolver,
    public_transport,
    resolve_host,
)

__all__ = [
    "Attempt",
    "ChannelHttp",
    "DeliveryError",
    "DeliveryRejected",
    "DeliveryUnavailable",
    "DestinationNotPublic",
    "public_url",
    "safe_host",
]


def safe_host(url: str) -> str:
    """``scheme://host[:port]`` of ``url``: what may be logged of it."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def public_url(url: str) -> str:
    """``url`` without its query, fragment and credentials (webhook delivery records)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


class DeliveryError(Exception):
    """A notification could not be delivered over HTTP."""

    def __init__(self, channel: str, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{channel} notification {message}")
        self.channel = channel
        self.status = status


class DeliveryRejected(DeliveryError):
    """The receiver answered a 4xx other than 429 (or a redirect): sending it again would not
    help."""


class DestinationNotPublic(DeliveryRejected):
    """A user-chosen URL's host is, or resolves to, an address that is not public (private,
    loopback, link-local, cloud metadata...): nothing was sent, and sending again would not
    help."""


class DeliveryUnavailable(DeliveryError, ServiceUnavailableError):
    """Every attempt met a network error, a 5xx or a 429.

    An outage of the receiver: a notification sent at once in a request answers 503 with
    ``Retry-After`` (its message is generic: the receiver's host stays in ``str()``, the log).
    """

    error = "notification_unavailable"
    default_message = "The notification could not be delivered. Please try again shortly."

    def __init__(self, channel: str, message: str, *, status: int | None = None) -> None:
        super().__init__(channel, message, status=status)
        self.message = self.default_message


@dataclass(frozen=True)
class Attempt:
    """One request: its number (from 1), the status answered (``None`` after a network error)
    and what went wrong, if anything."""

    number: int
    status: int | None
    error: str | None


OnAttempt = Callable[[Attempt], Awaitable[None]]


def _retry_after(response: httpx.Response) -> float | None:
    header = response.headers.get("retry-after")
    if header is not None:
        try:
            return max(0.0, float(header))
        except ValueError:
            return None  # an HTTP date: fall back to our own backoff
    if response.headers.get("content-type", "").startswith("application/json"):
        try:
            body = json.loads(response.content)
        except ValueError:
            return None
        # Discord answers 429 with {"retry_after": seconds, "global": bool}.
        value = body.get("retry_after") if isinstance(body, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return max(0.0, float(value))
    return None


class ChannelHttp:
    """The HTTP client of the notification channels, with their timeout and retry policy.

    Args:
        settings: timeout, retries and backoff.
        transport: an ``httpx`` transport to send through (tests may pass
            ``httpx.MockTransport``); the network by default. It then carries every request,
            ``public_only`` ones included (the address check lives in the network transport).
        sleep: how to wait between attempts (``anyio.sleep``).
        allow_local: let ``public_only`` requests reach ``127.0.0.1``, ``localhost`` and
            ``::1`` by those names (outside production, as push subscriptions allow them).
        resolver: how ``public_only`` requests resolve host names (tests inject one).
    """

    def __init__(
        self,
        settings: NotificationChannelsSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        *,
        allow_local: bool = False,
        resolver: Resolver = resolve_host,
    ) -> None:
        self.settings = settings
        self._transport = transport
        self._sleep = sleep
        self._allow_local = allow_local
        self._resolver = resolver

    def client(self, *, public_only: bool = False) -> httpx.AsyncClient:
        """A new client with the channels' timeout (use it as ``async with``); with
        ``public_only``, one that connects to public addresses only."""
        transport = self._transport
        if transport is None and public_only:
            transport = public_transport(allow_local=self._allow_local, resolver=self._resolver)
        # Redirects are never followed: a webhook moved elsewhere is a configuration to fix,
        # and a user's URL must not bounce the server to an address nobody checked.
        return httpx.AsyncClient(
            timeout=self.settings.http_timeout, transport=transport, follow_redirects=False
        )

    async def post(
        self,
        channel: str,
        url: str,
        *,
        content: bytes | Callable[[], bytes],
        headers: Mapping[str, str] | Callable[[], Mapping[str, str]],
        on_attempt: OnAttempt | None = None,
        public_only: bool = False,
    ) -> httpx.Response:
        """POST until the receiver accepts (2xx) or the retries are spent.

        ``content`` and ``headers`` may be callables, built again for each attempt (a signed
        webhook signs each attempt with a fresh timestamp). ``public_only`` is for URLs a user
        chose: the request may only go to public addresses.

        Raises:
            DestinationNotPublic: ``public_only`` and the host is not public (at once).
            DeliveryRejected: a 3xx or a 4xx other than 429 (at once).
            DeliveryUnavailable: the last attempt met a network error, a 5xx or a 429.
        """
        settings = self.settings
        host = safe_host(url)
        async with self.client(public_only=public_only) as client:
            for number in range(1, settings.http_retries + 2):
                body = content() if callable(content) else content
                sent = dict(headers() if callable(headers) else headers)
                wait = settings.http_backoff * 2 ** (number - 1)
                try:
                    response = await client.post(url, content=body, headers=sent)
                except NonPublicAddressError as exc:
                    problem = f"was not sent: {exc.host} is not a public address"
                    if on_attempt is not None:
                        await on_attempt(Attempt(number, None, problem))
                    raise DestinationNotPublic(channel, problem) from None
                except httpx.TransportError as exc:
                    problem = f"could not reach {host}: {type(exc).__name__}"
                    if on_attempt is not None:
                        await on_attempt(Attempt(number, None, problem))
                    failure: DeliveryError = DeliveryUnavailable(channel, problem)
                else:
                    status = response.status_code
                    if 200 <= status < 300:
                        if on_attempt is not None:
                            await on_attempt(Attempt(number, status, None))
                        return response
                    problem = f"was refused by {host} with HTTP {status}"
                    if on_attempt is not None:
                        await on_attempt(Attempt(number, status, f"HTTP {status}"))
                    if status != 429 and status < 500:
                        # A redirect (not followed) or a refusal: not a request to repeat.
                        raise DeliveryRejected(channel, problem, status=status)
                    failure = DeliveryUnavailable(channel, problem, status=status)
                    if status == 429:
                        wait = _retry_after(response) or wait
                if number > settings.http_retries:
                    raise failure
                await self._sleep(min(wait, settings.http_max_backoff))
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
