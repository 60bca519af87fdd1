"""How a frame published anywhere reaches every server process's subscribers.

:class:`LocalHub` delivers in this process (one server process, or tests). :class:`RedisHub`
publishes onto one Redis pub/sub channel that every server process listens on
(``REVERB_SCALING_ENABLED``), so a client connected to any process receives what an HTTP API
call, a queued broadcast or another client sent through any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.asyncio.client import PubSub

__all__ = ["Delivery", "Hub", "LocalHub", "RedisHub", "decode_deliveries", "encode_deliveries"]

logger = logging.getLogger("foundry.broadcasting")

Deliver = Callable[["Delivery"], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Delivery:
    """One frame for the subscribers of one channel, except the socket that caused it."""

    channel: str
    frame: str
    except_socket: str | None = None


def encode_deliveries(deliveries: Sequence[Delivery]) -> str:
    """The pub/sub message carrying ``deliveries``."""
    return json.dumps([[d.channel, d.frame, d.except_socket] for d in deliveries])


def decode_deliveries(message: str | bytes) -> list[Delivery]:
    """The deliveries a pub/sub message carries; malformed entries are dropped."""
    try:
        items: Any = json.loads(message)
    except ValueError:
        return []
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, list) and len(item) == 3:
            channel, text, except_socket = item
            if isinstance(channel, str) and isinstance(text, str):
                found.append(
                    Delivery(
                        channel, text, except_socket if isinstance(except_socket, str) else None
                    )
                )
    return found


class Hub(ABC):
    """Carries deliveries to every server process (this one included)."""

    @abstractmethod
    async def publish(self, deliveries: Sequence[Delivery]) -> None:
        """Send ``deliveries`` to every process's subscribers."""

    @abstractmethod
    async def start(self, deliver: Deliver) -> None:
        """Begin handing what arrives to ``deliver``."""

    @abstractmethod
    async def stop(self) -> None:
        """Stop listening and release connections."""


class LocalHub(Hub):
    """Delivers in this process only."""

    def __init__(self) -> None:
        self._deliver: Deliver | None = None

    async def publish(self, deliveries: Sequence[Delivery]) -> None:
        if self._deliver is not None:
            for delivery in deliveries:
                await self._deliver(delivery)

    async def start(self, deliver: Deliver) -> None:
        self._deliver = deliver

    async def stop(self) -> None:
        self._deliver = None


class RedisHub(Hub):
    """Redis pub/sub on ``channel``: every process publishes there and listens there.

    ``redis`` publishes (the app's shared client); ``listener`` makes the client that listens,
    which must have no socket timeout: it waits on the subscription for as long as it is quiet.
    """

    def __init__(
        self,
        redis: Redis,
        listener: Callable[[], Redis],
        channel: str,
        *,
        reconnect_delay: float = 1.0,
    ) -> None:
        self.redis = redis
        self.listener = listener
        self.channel = channel
        self.reconnect_delay = reconnect_delay
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def publish(self, deliveries: Sequence[Delivery]) -> None:
        if deliveries:
            await self.redis.publish(self.channel, encode_deliveries(deliveries))

    async def start(self, deliver: Deliver) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._listen(deliver), name="broadcasting-hub")
        # Subscribed before the first client hears "connection established": nothing sent
        # after that can be missed.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout=5)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _listen(self, deliver: Deliver) -> None:
        while True:
            client = self.listener()
            pubsub: PubSub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.channel)
                self._ready.set()
                while True:
                    message = await pubsub.get_message(timeout=None)
                    if message is not None and message.get("type") == "message":
                        for delivery in decode_deliveries(message["data"]):
                            await deliver(delivery)
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis went away: keep trying, as the queue workers do
                logger.warning("broadcasting hub lost Redis; reconnecting", exc_info=True)
                await asyncio.sleep(self.reconnect_delay)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]  # unannotated in redis-py
                with contextlib.suppress(Exception):
                    await client.aclose()
