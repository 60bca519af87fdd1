"""The WebSocket server: Pusher Channels protocol 7 at ``/app/{key}``, as pusher-js speaks it.

A client connects, is told its socket id, then subscribes to channels: public ones freely,
``private-`` and ``presence-`` ones with a signature from ``/broadcasting/auth``. Frames for a
channel arrive from the :class:`~foundry.broadcasting.hub.Hub`, so they reach the client
whichever server process it is connected to; who is on a channel (presence members, the HTTP
API's channel information) comes from the :mod:`~foundry.broadcasting.directory`, which sees
every process.

A connection lives for hours, so it holds no container scope: the one the HTTP kernel opened
for the handshake is closed once the connection is accepted, and each message the client sends
is handled in a short scope of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hmac
import json
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.websockets import WebSocket

from foundry.broadcasting import protocol
from foundry.broadcasting.channels import LocalChannels, Member
from foundry.broadcasting.connection import Connection
from foundry.broadcasting.credentials import Credentials
from foundry.broadcasting.directory import ChannelDirectory, ChannelSummary, LocalDirectory
from foundry.broadcasting.hub import Delivery, Hub
from foundry.broadcasting.protocol import ChannelKind, PusherError, channel_kind, frame
from foundry.broadcasting.signatures import channel_signature
from foundry.config.broadcasting import BroadcastingSettings
from foundry.kernel.container import Container, current_container, use_container

__all__ = ["BroadcastServer"]

logger = logging.getLogger("foundry.broadcasting")

#: Pusher's limit on client events per connection.
CLIENT_EVENTS_PER_SECOND = 10


class BroadcastServer:
    """Serves the WebSocket connections of this process; a singleton per application."""

    def __init__(
        self,
        settings: BroadcastingSettings,
        credentials: Credentials,
        hub: Hub,
        *,
        channels: LocalChannels | None = None,
        directory: ChannelDirectory | None = None,
    ) -> None:
        self.settings = settings
        self.credentials = credentials
        self.hub = hub
        #: This process's subscribers.
        self.channels = channels if channels is not None else LocalChannels()
        #: Every process's channels (this one's alone without Redis scaling).
        self.directory = directory if directory is not None else LocalDirectory(self.channels)
        self.connections: dict[str, Connection] = {}
        self._started = False
        self._start_lock = asyncio.Lock()

    # -- fan-out ---------------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen to the hub (once): frames published anywhere reach this process's clients."""
        async with self._start_lock:
            if not self._started:
                # The first client's connection starts the hub's and the directory's background
                # tasks: they must not inherit its context (its container scope, its request id).
                await asyncio.create_task(self._start_services(), context=contextvars.Context())
                self._started = True

    async def _start_services(self) -> None:
        await self.hub.start(self._deliver)
        await self.directory.start()

    async def stop(self) -> None:
        """Close every connection (code 4200: reconnect elsewhere) and stop listening.

        Each connection leaves its channels first, while the hub and the directory still work,
        so the other processes hear about presence members leaving.
        """
        for connection in list(self.connections.values()):
            with contextlib.suppress(Exception):
                await self._leave_all(connection)
            await connection.close(4200, "Server shutting down")
        await self.directory.stop()
        await self.hub.stop()
        self._started = False

    async def publish(self, deliveries: Sequence[Delivery]) -> None:
        """Send frames to their channels' subscribers in every process."""
        await self.hub.publish(deliveries)

    async def _deliver(self, delivery: Delivery) -> None:
        await self.channels.deliver(delivery.channel, delivery.frame, delivery.except_socket)

    # -- connections -----------------------------------------------------------------------------

    async def serve(self, websocket: WebSocket, key: str) -> None:
        """Run one client's connection until it closes.

        Called inside the container scope the HTTP kernel opened for the handshake; that scope
        is closed at once (whatever the handshake resolved, a database session say, goes back
        now rather than when the client leaves hours later) and the connection runs with the
        application container current, opening a scope per message it handles.
        """
        application = await _release_scope()
        if application is None:
            await self._serve(websocket, key, None)
            return
        with use_container(application):
            await self._serve(websocket, key, application)

    async def _serve(self, websocket: WebSocket, key: str, application: Container | None) -> None:
        await websocket.accept()
        connection = Connection(websocket, protocol.new_socket_id())
        refusal = self._refusal(websocket, key)
        if refusal is not None:
            await connection.send(refusal.frame())
            await connection.close(refusal.code, refusal.message)
            return
        await self.start()
        self.connections[connection.socket_id] = connection
        try:
            await connection.send(
                frame(
                    "pusher:connection_established",
                    {
                        "socket_id": connection.socket_id,
                        "activity_timeout": self.settings.activity_timeout,
                    },
                )
            )
            await self._receive_loop(connection, application)
        finally:
            self.connections.pop(connection.socket_id, None)
            await self._leave_all(connection)

    def _refusal(self, websocket: WebSocket, key: str) -> PusherError | None:
        if key != self.credentials.key:
            return PusherError(*protocol.APP_NOT_FOUND)
        try:
            version = int(websocket.query_params.get("protocol", "7"))
        except ValueError:
            version = 0
        if not 5 <= version <= 7:
            return PusherError(*protocol.UNSUPPORTED_PROTOCOL)
        allowed = self.settings.allowed_origins
        if "*" not in allowed:
            origin = websocket.headers.get("origin", "")
            if origin.rstrip("/") not in {o.rstrip("/") for o in allowed}:
                return PusherError(*protocol.ORIGIN_NOT_ALLOWED)
        return None

    async def _receive_loop(self, connection: Connection, application: Container | None) -> None:
        rate = _ClientEventRate()
        while not connection.closed:
            text = await self._next_message(connection)
            if text is None:
                return
            if len(text.encode()) > self.settings.max_message_size:
                await connection.send(PusherError(*protocol.MESSAGE_TOO_LARGE).frame())
                continue
            try:
                if application is None:
                    await self._handle(connection, text, rate)
                else:
                    async with application.scope():
                        await self._handle(connection, text, rate)
            except PusherError as error:
                await connection.send(error.frame())

    async def _next_message(self, connection: Connection) -> str | None:
        """The next text frame; ``None`` once the client left or stayed silent after a ping."""
        try:
            return await self._receive(connection, self.settings.activity_timeout)
        except TimeoutError:
            await connection.send(frame("pusher:ping", {}))
        try:
            return await self._receive(connection, self.settings.pong_timeout)
        except TimeoutError:
            await connection.send(PusherError(*protocol.PONG_TIMEOUT).frame())
            await connection.close(protocol.PONG_TIMEOUT[0], protocol.PONG_TIMEOUT[1])
            return None

    @staticmethod
    async def _receive(connection: Connection, timeout: float) -> str | None:
        while True:
            message = await asyncio.wait_for(connection.websocket.receive(), timeout)
            if message["type"] == "websocket.disconnect":
                connection.closed = True
                return None
            text = message.get("text")
            if text is None and message.get("bytes") is not None:
                text = message["bytes"].decode("utf-8", errors="replace")
            if text is not None:
                return str(text)

    # -- messages --------------------------------------------------------------------------------

    async def _handle(self, connection: Connection, text: str, rate: _ClientEventRate) -> None:
        try:
            message = _json(text)
        except ValueError:
            raise PusherError(*protocol.INVALID_MESSAGE) from None
        if not isinstance(message, dict) or not isinstance(message.get("event"), str):
            raise PusherError(*protocol.INVALID_MESSAGE)
        event: str = message["event"]
        data = _data_object(message.get("data"))
        if event == "pusher:ping":
            await connection.send(frame("pusher:pong", {}))
        elif event == "pusher:pong":
            return
        elif event == "pusher:subscribe":
            await self._subscribe(connection, data)
        elif event == "pusher:unsubscribe":
            await self._unsubscribe(connection, data.get("channel"))
        elif event.startswith("client-"):
            await self._client_event(connection, event, message, rate)
        else:
            raise PusherError(*protocol.INVALID_MESSAGE)

    async def _subscribe(self, connection: Connection, data: Mapping[str, Any]) -> None:
        name = data.get("channel")
        if not protocol.valid_channel_name(name):
            raise PusherError(*protocol.INVALID_MESSAGE)
        assert isinstance(name, str)
        if (
            name not in connection.channels
            and len(connection.channels) >= self.settings.max_channels
        ):
            raise PusherError(*protocol.TOO_MANY_CHANNELS)
        kind = channel_kind(name)
        member: Member | None = None
        if kind is not ChannelKind.PUBLIC:
            channel_data = data.get("channel_data") if kind is ChannelKind.PRESENCE else None
            self._check_signature(connection, name, data.get("auth"), channel_data)
            if kind is ChannelKind.PRESENCE:
                member = _member(channel_data)
        channel, new_user = self.channels.subscribe(connection, name, member)
        connection.channels.add(name)
        # The other processes' view of the channel, read in one step with this subscription
        # being recorded: the member list is everyone's, and of two connections of one user
        # joining on two processes at once, exactly one announces the user.
        others = await self.directory.record(name, others=member is not None)
        answer: dict[str, Any] = {}
        if kind is ChannelKind.PRESENCE:
            everyone = ChannelSummary.merge([ChannelSummary.of(channel), *others])
            answer = {"presence": everyone.presence()}
        await connection.send(protocol.internal_frame("subscription_succeeded", answer, name))
        if member is not None and new_user and not _on_any(member, others):
            added = {"user_id": member.user_id, "user_info": member.user_info}
            await self.publish(
                [
                    Delivery(
                        name,
                        protocol.internal_frame("member_added", added, name),
                        connection.socket_id,
                    )
                ]
            )

    def _check_signature(
        self, connection: Connection, channel: str, auth: object, channel_data: object
    ) -> None:
        if not isinstance(auth, str) or ":" not in auth:
            raise PusherError(*protocol.UNAUTHORIZED)
        key, _, signature = auth.partition(":")
        data = channel_data if isinstance(channel_data, str) else None
        expected = channel_signature(self.credentials.secret, connection.socket_id, channel, data)
        if key != self.credentials.key or not hmac.compare_digest(signature, expected):
            raise PusherError(*protocol.UNAUTHORIZED)

    async def _unsubscribe(self, connection: Connection, name: object) -> None:
        if isinstance(name, str) and self.channels.is_subscribed(connection, name):
            connection.channels.discard(name)
            member = self.channels.unsubscribe(connection, name)
            await self._left(name, member)

    async def _leave_all(self, connection: Connection) -> None:
        for name, member in self.channels.unsubscribe_all(connection):
            with contextlib.suppress(Exception):  # the hub is down: nobody can hear it anyway
                await self._left(name, member)

    async def _left(self, name: str, member: Member | None) -> None:
        """Record that a connection left ``name``; announce ``member`` if they left it on every
        process (``member`` is set when no other connection of theirs remains here)."""
        others = await self.directory.record(name, others=member is not None)
        if member is not None and not _on_any(member, others):
            await self.publish([_member_removed(name, member)])

    async def _client_event(
        self,
        connection: Connection,
        event: str,
        message: Mapping[str, Any],
        rate: _ClientEventRate,
    ) -> None:
        if self.settings.client_events == "none":
            raise PusherError(*protocol.CLIENT_EVENTS_DISABLED)
        name = message.get("channel")
        if (
            not isinstance(name, str)
            or channel_kind(name) is ChannelKind.PUBLIC
            or not self.channels.is_subscribed(connection, name)
        ):
            raise PusherError(*protocol.NOT_A_MEMBER)
        if not rate.allow():
            raise PusherError(4301, "Client event rejected due to rate limit")
        extra: dict[str, Any] = {}
        channel = self.channels.get(name)
        member = channel.members.get(connection.socket_id) if channel is not None else None
        if member is not None:
            extra["user_id"] = member.user_id
        data = message.get("data")
        text = frame(event, data if data is not None else {}, name, **extra)
        await self.publish([Delivery(name, text, connection.socket_id)])

    # -- channel information (the HTTP API) ------------------------------------------------------

    async def channel_info(self, name: str, info: Sequence[str]) -> dict[str, Any]:
        """What ``GET /apps/{id}/channels/{name}`` answers, from every process's subscribers."""
        return _info(name, await self.directory.channel(name), info)

    async def occupied_channels(
        self, prefix: str | None, info: Sequence[str]
    ) -> dict[str, dict[str, Any]]:
        """What ``GET /apps/{id}/channels`` answers: each occupied channel starting with
        ``prefix`` (any without one), with the ``info`` asked for, across every process."""
        found = {}
        for name, summary in sorted((await self.directory.channels()).items()):
            if prefix is None or name.startswith(prefix):
                answer = _info(name, summary, info)
                answer.pop("occupied", None)
                found[name] = answer
        return found

    async def channel_users(self, name: str) -> list[str]:
        """The ids of the users on presence channel ``name``, across every process."""
        return list((await self.directory.channel(name)).users)


def _info(name: str, summary: ChannelSummary, info: Sequence[str]) -> dict[str, Any]:
    answer: dict[str, Any] = {"occupied": summary.occupied}
    if not summary.occupied:
        return answer
    presence = channel_kind(name) is ChannelKind.PRESENCE
    if "user_count" in info and presence:
        answer["user_count"] = len(summary.users)
    if "subscription_count" in info and not presence:
        answer["subscription_count"] = summary.subscriptions
    return answer


async def _release_scope() -> Container | None:
    """Close the container scope the handshake ran in; the application container (``None``
    when no application is booted, as in a bare server)."""
    try:
        current = current_container()
    except LookupError:
        return None
    if current.is_scope:
        # The kernel's middleware closes it again when the connection ends: nothing is left
        # to close then, and anything resolved meanwhile went into the per-message scopes.
        await current.aclose()
    return current.root


class _ClientEventRate:
    """At most :data:`CLIENT_EVENTS_PER_SECOND` client events per connection per second."""

    __slots__ = ("count", "window")

    def __init__(self) -> None:
        self.window = 0
        self.count = 0

    def allow(self) -> bool:
        now = int(time.monotonic())
        if now != self.window:
            self.window, self.count = now, 0
        self.count += 1
        return self.count <= CLIENT_EVENTS_PER_SECOND


def _json(text: str) -> Any:
    """``json.loads`` for what a client sent, raising only ``ValueError``.

    A few kilobytes of ``[[[[...`` (well under the frame limit) nest deeper than Python's
    recursion limit; the ``RecursionError`` is bad input like any other, not a reason to drop
    the connection with no close code.
    """
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _data_object(data: object) -> dict[str, Any]:
    """A frame's ``data`` as an object: clients send it as an object or as a JSON string."""
    if isinstance(data, str):
        try:
            data = _json(data)
        except ValueError:
            return {}
    return data if isinstance(data, dict) else {}


def _member(channel_data: object) -> Member:
    """The presence member a signed ``channel_data`` names (it must carry a ``user_id``)."""
    try:
        parsed = _json(channel_data) if isinstance(channel_data, str) else None
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict) or parsed.get("user_id") in (None, ""):
        raise PusherError(*protocol.UNAUTHORIZED)
    if isinstance(parsed["user_id"], bool) or not isinstance(parsed["user_id"], (str, int)):
        # The protocol's user_id is a string (Laravel sends an int): an object or a list would
        # become a Python repr as the member's id in every other client's member list.
        raise PusherError(*protocol.UNAUTHORIZED)
    return Member(str(parsed["user_id"]), parsed.get("user_info"))


def _on_any(member: Member, summaries: Sequence[ChannelSummary]) -> bool:
    """Whether ``member``'s user is on the channel in one of ``summaries``."""
    return any(member.user_id in summary.users for summary in summaries)


def _member_removed(channel: str, member: Member) -> Delivery:
    text = protocol.internal_frame("member_removed", {"user_id": member.user_id}, channel)
    return Delivery(channel, text)
