"""``/app/{key}`` (the WebSocket pusher-js connects to) and ``POST /broadcasting/auth``.

pusher-js asks ``/broadcasting/auth`` to sign each private and presence subscription, sending
``socket_id`` and ``channel_name`` as a form with the app's bearer token (Laravel Echo's
``auth.headers``) or the browser session cookie. The channel's callback in
``routes/channels.py`` decides; the answer is Pusher's ``{"auth": "key:signature"}`` (plus
``channel_data`` for presence channels).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, WebSocket
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.user import AuthUser
from foundry.auth.user_provider import UserProvider
from foundry.broadcasting.authorization import ChannelRoutes
from foundry.broadcasting.protocol import (
    ChannelKind,
    channel_kind,
    valid_channel_name,
    valid_socket_id,
)
from foundry.broadcasting.server import BroadcastServer
from foundry.broadcasting.signatures import channel_signature
from foundry.http.auth import OptionalUser
from foundry.http.dependencies import Inject
from foundry.http.middleware.container_scope import container_of
from foundry.http.oauth_browser import Cookies, browser_user
from foundry.kernel.errors import AuthenticationError, AuthorizationError, ValidationError

__all__ = ["auth_router", "socket_router"]

socket_router = APIRouter()
auth_router = APIRouter(tags=["broadcasting"])


@socket_router.websocket("/app/{key}")
async def pusher_socket(websocket: WebSocket, key: str) -> None:
    """A Pusher protocol 7 connection."""
    container = container_of(websocket.scope)
    assert container is not None  # ContainerScopeMiddleware serves WebSockets too
    await container.make(BroadcastServer).serve(websocket, key)


async def _fields(request: Request) -> dict[str, Any]:
    """The body's fields: a form (pusher-js) or a JSON object (a custom Echo ``authorizer``
    posting with axios or fetch, as Laravel's broadcasting docs show)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            parsed = json.loads(await request.body() or b"{}")
        except (ValueError, RecursionError):
            parsed = None
        # Anything but an object has no fields: the 422 below names both as missing.
        return parsed if isinstance(parsed, dict) else {}
    return dict(await request.form())


async def _form(request: Request) -> tuple[str, str]:
    form = await _fields(request)
    socket_id, channel = form.get("socket_id"), form.get("channel_name")
    errors: dict[str, list[str]] = {}
    if not valid_socket_id(socket_id):
        errors["socket_id"] = ["The socket id must look like 123.456."]
    if not valid_channel_name(channel):
        errors["channel_name"] = ["The channel name is not a valid Pusher channel name."]
    elif isinstance(channel, str) and channel_kind(channel) is ChannelKind.PUBLIC:
        errors["channel_name"] = ["Only private- and presence- channels are authorized."]
    if errors:
        raise ValidationError(errors=errors)
    assert isinstance(socket_id, str) and isinstance(channel, str)
    return socket_id, channel


@auth_router.post("/broadcasting/auth")
async def authorize_channel(
    request: Request,
    token_user: OptionalUser,
    cookies: Cookies,
    session: Inject[AsyncSession],
    users: Inject[UserProvider],
    channels: Inject[ChannelRoutes],
    server: Inject[BroadcastServer],
) -> dict[str, Any]:
    """Sign a subscription to a private or presence channel the user may listen on."""
    # Who asks comes first: a guest learns nothing about what a well-formed request looks like.
    user: AuthUser | None = token_user or await browser_user(cookies.read(request), session, users)
    if user is None:
        raise AuthenticationError()
    socket_id, channel = await _form(request)
    allowed = await channels.authorize(user, channel)
    if not allowed:
        raise AuthorizationError(f"You may not listen on {channel}.", error="channel_forbidden")
    credentials = server.credentials
    if channel_kind(channel) is ChannelKind.PRESENCE:
        info = allowed if isinstance(allowed, dict) else {}
        channel_data = json.dumps({"user_id": str(user.id), "user_info": info})
        signature = channel_signature(credentials.secret, socket_id, channel, channel_data)
        return {"auth": f"{credentials.key}:{signature}", "channel_data": channel_data}
    signature = channel_signature(credentials.secret, socket_id, channel)
    return {"auth": f"{credentials.key}:{signature}"}
