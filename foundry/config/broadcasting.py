"""Broadcasting settings: the Pusher-protocol server the app runs and how events reach it."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from foundry.config.base import Settings
from foundry.config.http import CommaList

__all__ = ["BroadcastingSettings", "ClientEvents", "SETTINGS"]

#: Who may send ``client-`` events: subscribers of the private or presence channel
#: (``members``), nobody (``none``).
ClientEvents = Literal["members", "none"]


class BroadcastingSettings(Settings):
    """``BROADCAST_*`` and ``REVERB_*`` variables (Laravel Reverb's names, so an app's ``.env``
    and its Laravel Echo set-up carry over).

    ``BROADCAST_CONNECTION`` names the broadcaster events go out through: ``reverb`` (the app's
    own WebSocket server, through its Pusher HTTP API at ``REVERB_HOST``), ``redis`` (straight
    onto the Redis channel the app's server processes listen on), ``pusher`` (Pusher's service
    or any Pusher-compatible server), ``log`` or ``null``.
    """

    connection: str = Field(default="reverb", min_length=1, validation_alias="BROADCAST_CONNECTION")
    #: Numeric, as Pusher's server libraries insist.
    app_id: str = Field(default="1000", pattern=r"^[0-9]+$", validation_alias="REVERB_APP_ID")
    #: Public: browsers connect to ``/app/{key}``.
    app_key: str = Field(default="foundry-key", min_length=1, validation_alias="REVERB_APP_KEY")
    #: Signs channel subscriptions and HTTP API calls. Unset, it is derived from ``APP_KEY``,
    #: so every process of one app agrees on it and no default secret is ever shared.
    app_secret: SecretStr | None = Field(
        default=None, validation_alias="REVERB_APP_SECRET", repr=False
    )
    #: Where the ``reverb`` broadcaster reaches the server's HTTP API.
    host: str = Field(default="127.0.0.1", validation_alias="REVERB_HOST")
    port: int = Field(default=8000, ge=1, le=65535, validation_alias="REVERB_PORT")
    scheme: Literal["http", "https"] = Field(default="http", validation_alias="REVERB_SCHEME")
    #: Where ``artisan broadcast:serve`` listens (the WebSocket server apart from the app).
    server_host: str = Field(
        default="127.0.0.1", min_length=1, validation_alias="REVERB_SERVER_HOST"
    )
    server_port: int = Field(default=8080, ge=1, le=65535, validation_alias="REVERB_SERVER_PORT")
    #: Origins allowed to open a WebSocket (``*``: any; private channels still need auth).
    #: Comma-separated in the environment, as ``CORS_ALLOWED_ORIGINS`` (a JSON list works too).
    allowed_origins: CommaList = Field(
        default_factory=lambda: ["*"], validation_alias="REVERB_ALLOWED_ORIGINS"
    )
    #: Seconds of silence before the server pings a client; a client that stays silent for
    #: ``pong_timeout`` more is disconnected (close code 4201).
    activity_timeout: int = Field(default=120, ge=1, validation_alias="REVERB_ACTIVITY_TIMEOUT")
    pong_timeout: int = Field(default=30, ge=1, validation_alias="REVERB_PONG_TIMEOUT")
    client_events: ClientEvents = Field(default="members", validation_alias="REVERB_CLIENT_EVENTS")
    #: Largest message a client may send, in bytes (Pusher's limit is 10 kB).
    max_message_size: int = Field(
        default=10_000, ge=100, validation_alias="REVERB_MAX_MESSAGE_SIZE"
    )
    #: Channels one connection may be subscribed to at once; one more is refused with error 4302
    #: (the connection stays open), so a client cannot grow the server's channel table alone.
    max_channels: int = Field(default=100, ge=1, validation_alias="REVERB_MAX_CHANNELS")
    #: Share channels between server processes through Redis pub/sub (``REDIS_URL``).
    scaling: bool = Field(default=False, validation_alias="REVERB_SCALING_ENABLED")
    #: The Redis pub/sub channel (after ``REDIS_PREFIX``) server processes share events on.
    redis_channel: str = Field(
        default="broadcasting", min_length=1, validation_alias="REVERB_SCALING_CHANNEL"
    )
    #: The ``pusher`` broadcaster's service (Pusher Channels or a compatible server).
    pusher_app_id: str = Field(default="", validation_alias="PUSHER_APP_ID")
    pusher_key: str = Field(default="", validation_alias="PUSHER_APP_KEY")
    pusher_secret: SecretStr | None = Field(
        default=None, validation_alias="PUSHER_APP_SECRET", repr=False
    )
    pusher_cluster: str = Field(default="mt1", validation_alias="PUSHER_APP_CLUSTER")
    #: Unset: ``api-{cluster}.pusher.com`` over https.
    pusher_host: str | None = Field(default=None, validation_alias="PUSHER_HOST")
    pusher_port: int = Field(default=443, ge=1, le=65535, validation_alias="PUSHER_PORT")
    pusher_scheme: Literal["http", "https"] = Field(
        default="https", validation_alias="PUSHER_SCHEME"
    )
    #: Seconds to wait for the HTTP API when broadcasting.
    timeout: float = Field(default=5.0, gt=0, validation_alias="BROADCAST_TIMEOUT")
    #: The module whose ``register(channels)`` declares channel authorization.
    channels_module: str = Field(
        default="routes.channels", min_length=1, validation_alias="BROADCAST_CHANNELS_MODULE"
    )

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        # pydantic-settings reads a list as JSON only, so the natural
        # REVERB_ALLOWED_ORIGINS=https://app.example.com stopped the app at start-up.
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


SETTINGS = BroadcastingSettings
