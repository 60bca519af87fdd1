"""Broadcasting: the WebSocket server's app id, key and secret, and the default broadcaster.

The framework's defaults are in :class:`foundry.config.broadcasting.BroadcastingSettings`; every
value can be set in the environment or ``.env`` (``BROADCAST_CONNECTION``, ``REVERB_*``,
``PUSHER_*``). Change a default for this application by redeclaring its field below.
"""

from __future__ import annotations

from foundry.config.broadcasting import BroadcastingSettings

__all__ = ["BroadcastingConfig"]


class BroadcastingConfig(BroadcastingSettings):
    """This application's broadcasting settings."""


SETTINGS = BroadcastingConfig
