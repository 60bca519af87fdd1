"""The test application's channel authorization module."""

from __future__ import annotations

from pydantic import Field

from foundry.config.broadcasting import BroadcastingSettings

__all__ = ["BroadcastingConfig"]


class BroadcastingConfig(BroadcastingSettings):
    """Broadcasting settings of the test application."""

    channels_module: str = Field(
        default="tests.foundry.testbench.channels", validation_alias="BROADCAST_CHANNELS_MODULE"
    )


SETTINGS = BroadcastingConfig
