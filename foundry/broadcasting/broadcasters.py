"""The broadcasters: how an event leaves the app for the WebSocket server's subscribers.

* ``reverb``: the app's own server, through its Pusher HTTP API (``REVERB_HOST``/``PORT``);
* ``pusher``: Pusher Channels or any Pusher-compatible server (``PUSHER_*``);
* ``redis``: straight onto the Redis channel the app's server processes share
  (``REVERB_SCALING_ENABLED``), with no HTTP hop;
* ``log``: a log line per event; ``null``: nothing; ``array``: kept in memory (tests).
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from foundry.broadcasting.credentials import Credentials
from foundry.broadcasting.hub import Delivery, encode_deliveries
from foundry.broadcasting.protocol import frame
from foundry.broadcasting.signatures import sign_api_request
from foundry.kernel.outages import ServiceUnavailableError

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = [
    "ArrayBroadcaster",
    "BroadcastError",
    "BroadcastUnavailableError",
    "Broadcaster",
    "HttpBroadcaster",
    "LogBroadcaster",
    "NullBroadcaster",
    "RedisBroadcaster",
    "SentBroadcast",
]

logger = logging.getLogger("foundry.broadcasting")

#: Pusher's HTTP API takes at most 100 channels per event.
MAX_CHANNELS_PER_CALL = 100


class BroadcastError(RuntimeError):
    """The server refused or could not be reached (a queued broadcast is then retried)."""


class BroadcastUnavailableError(BroadcastError, ServiceUnavailableError):
    """The broadcasting server could not be reached, timed out or answered 5xx or 429.

    An outage, not a bug: a request broadcasting at once (``ShouldBroadcastNow``) answers 503
    with ``Retry-After`` rather than 500. The client sees a generic message; ``str()`` (the log,
    a failed job) keeps the detail.
    """

    error = "broadcasting_unavailable"
    default_message = "Broadcasting is temporarily unavailable. Please try again shortly."

    def __init__(self, detail: str) -> None:
        ServiceUnavailableError.__init__(self)
        self.args = (detail,)


class Broadcaster(ABC):
    """Sends one event to channels."""

    @abstractmethod
    async def broadcast(
        self,
        channels: Sequence[str],
        event: str,
        payload: dict[str, Any],
        socket_id: str | None = None,
    ) -> None:
        """Deliver ``event`` with ``payload`` to every subscriber of ``channels`` but the
        connection ``socket_id`` (the one whose request caused it: ``to_others()``)."""

    async def aclose(self) -> None:
        """Release what the broadcaster holds (HTTP clients)."""


class HttpBroadcaster(Broadcaster):
    """``POST /apps/{id}/events`` on a Pusher-compatible HTTP API, signed with the secret."""

    def __init__(
        self, base_url: str, credentials: Credentials, *, timeout: float, client: httpx.AsyncClient
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.credentials = credentials
        self.timeout = timeout
        self.client = client

    async def broadcast(
        self,
        channels: Sequence[str],
        event: str,
        payload: dict[str, Any],
        socket_id: str | None = None,
    ) -> None:
        path = f"/apps/{self.credentials.app_id}/events"
        for start in range(0, len(channels), MAX_CHANNELS_PER_CALL):
            body: dict[str, Any] = {
                "name": event,
                "channels": list(channels[start : start + MAX_CHANNELS_PER_CALL]),
                "data": json.dumps(payload),
            }
            if socket_id is not None:
                body["socket_id"] = socket_id
            raw = json.dumps(body).encode()
            params = sign_api_request(
                self.credentials.key, self.credentials.secret, "POST", path, body=raw
            )
            try:
                response = await self.client.post(
                    self.base_url + path,
                    params=params,
                    content=raw,
                    headers={"Content-Type": "application/json"},
                    timeout=self.timeout,
                )
            except httpx.HTTPError as exc:
                raise BroadcastUnavailableError(
                    f"broadcasting server unreachable: {exc!r}"
                ) from exc
            if response.status_code >= 500 or response.status_code == 429:
                raise BroadcastUnavailableError(
                    f"broadcasting server answered {response.status_code}: {response.text[:200]}"
                )
            if response.status_code >= 300:
                raise BroadcastError(
                    f"broadcasting server answered {response.status_code}: {response.text[:200]}"
                )

    async def aclose(self) -> None:
        await self.client.aclose()


class RedisBroadcaster(Broadcaster):
    """Publishes frames onto the server processes' shared Redis channel."""

    def __init__(self, redis: Redis, channel: str) -> None:
        self.redis = redis
        self.channel = channel

    async def broadcast(
        self,
        channels: Sequence[str],
        event: str,
        payload: dict[str, Any],
        socket_id: str | None = None,
    ) -> None:
        data = json.dumps(payload)
        deliveries = [Delivery(name, frame(event, data, name), socket_id) for name in channels]
        if deliveries:
            await self.redis.publish(self.channel, encode_deliveries(deliveries))


class LogBroadcaster(Broadcaster):
    """Logs each event (name and channels) to ``foundry.broadcasting``; sends nothing."""

    async def broadcast(
        self,
        channels: Sequence[str],
        event: str,
        payload: dict[str, Any],
        socket_id: str | None = None,
    ) -> None:
        logger.info("broadcasting %s on %s", event, ", ".join(channels), extra={"payload": payload})


class NullBroadcaster(Broadcaster):
    """Sends nothing."""

    async def broadcast(
        self,
        channels: Sequence[str],
        event: str,
        payload: dict[str, Any],
        socket_id: str | None = None,
    ) -> None:
        return None


@dataclass(frozen=True)
class SentBroadcast:
    """One event an :class:`ArrayBroadcaster` kept."""

    channels: tuple[str, ...]
    event: str
    payload: dict[str, Any] = field(default_factory=dict)
    socket_id: str | None = None


class ArrayBroadcaster(Broadcaster):
    """Keeps every event in :attr:`sent` (what ``Broadcast.fake()`` installs)."""

    def __init__(self) -> None:
        self.sent: list[SentBroadcast] = []

    async def broadcast(
        self,
        channels: Sequence[str],
        event: str,
        payload: dict[str, Any],
        socket_id: str | None = None,
    ) -> None:
        self.sent.append(SentBroadcast(tuple(channels), event, dict(payload), socket_id))
