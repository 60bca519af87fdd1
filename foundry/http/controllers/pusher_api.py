"""Pusher's HTTP API (``/apps/{app_id}/...``): how servers publish events and ask about channels.

The official server libraries (``pusher`` for Python, ``pusher/pusher-php-server``...) and the
``reverb`` broadcaster call it unchanged. Every call is signed with the app's secret
(``auth_signature``, see :mod:`foundry.broadcasting.signatures`); one that is not gets 401.
Channel information covers every server process (with ``REVERB_SCALING_ENABLED``, through
Redis; see :mod:`foundry.broadcasting.directory`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from foundry.broadcasting.hub import Delivery
from foundry.broadcasting.protocol import (
    ChannelKind,
    channel_kind,
    frame,
    valid_channel_name,
    valid_socket_id,
)
from foundry.broadcasting.server import BroadcastServer
from foundry.broadcasting.signatures import InvalidSignatureError, verify_api_request
from foundry.http.dependencies import Inject
from foundry.kernel.errors import AuthenticationError, BadRequestError, NotFoundError

__all__ = ["router"]

router = APIRouter(prefix="/apps/{app_id}", tags=["broadcasting"])

#: Pusher's limits: 10 kB of data per event, 100 channels per event, 10 events per batch.
MAX_DATA_BYTES = 10_240
MAX_CHANNELS = 100
MAX_BATCH = 10


async def verified(request: Request, app_id: str, server: Inject[BroadcastServer]) -> bytes:
    """The request body, once the call's signature checked out."""
    if app_id != server.credentials.app_id:
        raise NotFoundError(f"No application with id {app_id!r}.", error="app_not_found")
    body = await request.body()
    try:
        verify_api_request(
            server.credentials.key,
            server.credentials.secret,
            request.method,
            request.url.path,
            dict(request.query_params),
            body,
        )
    except InvalidSignatureError as exc:
        raise AuthenticationError(f"Authentication signature invalid: {exc}.") from None
    return body


Body = Annotated[bytes, Depends(verified)]


def _object(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body or b"{}")
    # RecursionError: a signed body of ``[[[[...`` nested past Python's recursion limit.
    except (ValueError, RecursionError):
        raise BadRequestError("The body is not JSON.", error="invalid_json") from None
    if not isinstance(parsed, dict):
        raise BadRequestError("The body must be a JSON object.", error="invalid_json")
    return parsed


def _event_deliveries(event: dict[str, Any]) -> list[Delivery]:
    """The frames one API event sends, after checking it against Pusher's limits."""
    name, data = event.get("name"), event.get("data")
    channels = event.get("channels", [event["channel"]] if "channel" in event else None)
    socket_id = event.get("socket_id")
    if not isinstance(name, str) or not 0 < len(name) <= 200:
        raise BadRequestError("name must be a string of 1 to 200 characters.", error="invalid")
    if not isinstance(data, str) or len(data.encode()) > MAX_DATA_BYTES:
        raise BadRequestError("data must be a string of at most 10 kB.", error="invalid")
    if (
        not isinstance(channels, list)
        or not 0 < len(channels) <= MAX_CHANNELS
        or not all(valid_channel_name(c) for c in channels)
    ):
        raise BadRequestError("channels must list 1 to 100 valid channel names.", error="invalid")
    if socket_id is not None and not valid_socket_id(socket_id):
        raise BadRequestError("socket_id is not a valid socket id.", error="invalid")
    return [Delivery(c, frame(name, data, c), socket_id) for c in channels]


def _info(query: str | None) -> list[str]:
    return [part.strip() for part in (query or "").split(",") if part.strip()]


@router.post("/events")
async def trigger(body: Body, server: Inject[BroadcastServer]) -> dict[str, Any]:
    """Send one event to up to 100 channels."""
    event = _object(body)
    deliveries = _event_deliveries(event)
    await server.publish(deliveries)
    info = _info(event.get("info") if isinstance(event.get("info"), str) else None)
    if not info:
        return {}
    return {"channels": {d.channel: await server.channel_info(d.channel, info) for d in deliveries}}


@router.post("/batch_events")
async def trigger_batch(body: Body, server: Inject[BroadcastServer]) -> dict[str, Any]:
    """Send up to 10 events, each to one channel."""
    batch = _object(body).get("batch")
    if not isinstance(batch, list) or not 0 < len(batch) <= MAX_BATCH:
        raise BadRequestError("batch must list 1 to 10 events.", error="invalid")
    deliveries = []
    for event in batch:
        if not isinstance(event, dict):
            raise BadRequestError("each batch entry must be an object.", error="invalid")
        deliveries.extend(_event_deliveries(event))
    await server.publish(deliveries)
    return {"batch": [{} for _ in batch]}


@router.get("/channels")
async def channels(
    _: Body,
    server: Inject[BroadcastServer],
    filter_by_prefix: str | None = None,
    info: str | None = None,
) -> dict[str, Any]:
    """The occupied channels (optionally those starting with ``filter_by_prefix``)."""
    wanted = _info(info)
    if "user_count" in wanted and not (filter_by_prefix or "").startswith("presence-"):
        raise BadRequestError(
            "user_count is only available with filter_by_prefix=presence-", error="invalid"
        )
    return {"channels": await server.occupied_channels(filter_by_prefix, wanted)}


@router.get("/channels/{channel_name}")
async def channel(
    channel_name: str, _: Body, server: Inject[BroadcastServer], info: str | None = None
) -> dict[str, Any]:
    """Whether a channel is occupied, with its subscription or user count on request."""
    if not valid_channel_name(channel_name):
        raise BadRequestError("Invalid channel name.", error="invalid")
    return await server.channel_info(channel_name, _info(info))


@router.get("/channels/{channel_name}/users")
async def channel_users(
    channel_name: str, _: Body, server: Inject[BroadcastServer]
) -> dict[str, Any]:
    """The users on a presence channel."""
    if channel_kind(channel_name) is not ChannelKind.PRESENCE:
        raise BadRequestError("Users are only listed for presence channels.", error="invalid")
    return {"users": [{"id": user_id} for user_id in await server.channel_users(channel_name)]}
